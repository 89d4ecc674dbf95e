// `wopi-workbench scenario run FILE|ID` plays a scenario (a JSON or YAML file, or a shipped one by id)
// against the serve running on --data-dir, through its control API, so the run shows in that
// inspector; with none running, against an embedded workbench (over --folder, or a temp folder)
// started for the run and stopped after it. `scenario list` lists the shipped scenarios.
// Exit 0 when every step passed, 1 when one failed (or the run could not go on), 2 for a mistake on
// the command line, as `check`.
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiModelError } from '../../api';
import { shippedScenarios } from '../../api/scenarios';
import { parseScenarioText, ScenarioInputError } from '../../conformance/scenario/format';
import type { CheckRunView } from '../../contracts/api';
import { ControlApiError, createControlClient } from '../../contracts/client';
import type { RunScenarioRequest } from '../../contracts/lab';
import { redactText } from '../../events/redact';
import { createWorkbench } from '../../workbench';
import { CliError, parseFlags, UsageError } from '../args';
import { reportRun } from '../run-report';
import { consoleSafe } from '../console-safe';
import { readRuntime } from '../runtime-file';

// Its flags, their checks and its help: the 'scenario' entries of ../flags.ts.
const SPEC = 'scenario';
const POLL_MS = 100;

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** A path to a file (read and checked here, so a mistake is exit 2), or a shipped scenario's id. */
function requestOf(arg: string): RunScenarioRequest {
  const looksLikeFile = /\.(json|ya?ml)$/i.test(arg) || arg.includes('/') || arg.includes(path.sep);
  if (!looksLikeFile && !existsSync(arg)) {
    const known = shippedScenarios().map((s) => s.id);
    if (!known.includes(arg))
      throw new UsageError(
        `"${arg}" is neither a scenario file nor a shipped scenario; the shipped ones are: ${known.join(', ') || '(none)'}`,
      );
    return { id: arg };
  }
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read the scenario file ${arg}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  try {
    parseScenarioText(text, arg);
  } catch (e) {
    if (e instanceof ScenarioInputError) throw new UsageError(`${arg}: ${e.message}`);
    throw e;
  }
  return { text };
}

/** The control API of a serve running on the data dir, or undefined when none answers. */
async function runningServe(dataDir: string | undefined) {
  if (dataDir === undefined) return undefined;
  let rt;
  try {
    rt = readRuntime(dataDir);
  } catch {
    return undefined;
  }
  if (!rt.controlToken) return undefined;
  const client = createControlClient({ baseUrl: rt.controlUrl, token: rt.controlToken, timeoutMs: 5000 });
  try {
    await client.status();
    return { client, url: rt.controlUrl };
  } catch (e) {
    if (e instanceof ControlApiError && e.code === 'network') return undefined;
    throw e;
  }
}

async function viaServe(
  serve: NonNullable<Awaited<ReturnType<typeof runningServe>>>,
  req: RunScenarioRequest,
): Promise<CheckRunView> {
  const { client } = serve;
  try {
    let run = await client.runScenario({ body: req });
    while (run.state === 'running') {
      await sleep(POLL_MS);
      run = await client.check({ params: { runId: run.id } });
    }
    return run;
  } catch (e) {
    if (e instanceof ControlApiError) {
      if (e.code === 'bad-request' || e.code === 'not-found') throw new UsageError(e.message);
      throw new CliError(`the serve run at ${serve.url} refused the scenario: ${e.message}`);
    }
    throw e;
  }
}

async function embedded(
  req: RunScenarioRequest,
  proof: 'enforce' | 'report' | 'off' | undefined,
  folderFlag: string | undefined,
  dataDirFlag: string | undefined,
): Promise<CheckRunView> {
  const temps: string[] = [];
  const temp = (prefix: string): string => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    temps.push(dir);
    return dir;
  };
  try {
    const folder = folderFlag ?? temp('wopi-workbench-scenario-folder-');
    const dataDir = dataDirFlag ?? temp('wopi-workbench-scenario-data-');
    const wb = createWorkbench({
      folder,
      dataDir,
      watch: false,
      wopiPort: 0,
      controlPort: 0,
      ...(proof !== undefined ? { proofMode: proof } : {}),
    });
    try {
      await wb.start();
      const ended = new Map<string, CheckRunView>();
      const waiters = new Map<string, (r: CheckRunView) => void>();
      wb.bus.on('check:updated', ({ data }) => {
        if (data.state === 'running') return;
        ended.set(data.id, data);
        waiters.get(data.id)?.(data);
      });
      let started: CheckRunView;
      try {
        started = await wb.api.runScenario(req);
      } catch (e) {
        if (e instanceof ApiModelError && (e.code === 'bad-request' || e.code === 'not-found'))
          throw new UsageError(e.message);
        if (e instanceof ApiModelError) throw new CliError(e.message);
        throw e;
      }
      return await new Promise<CheckRunView>((resolve) => {
        const done = ended.get(started.id);
        if (done) resolve(done);
        else waiters.set(started.id, resolve);
      });
    } finally {
      // Flushes the request log and stores the run before anything is printed.
      await wb.stop();
    }
  } finally {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  }
}

function list(argv: string[]): void {
  const f = parseFlags(argv, SPEC);
  const all = shippedScenarios().map(({ id, file, scenario: s }) => ({
    id,
    title: s.title,
    description: s.description,
    ...(s.preset !== undefined ? { preset: s.preset } : {}),
    steps: s.steps.length,
    file,
  }));
  if (f.json === true) out(JSON.stringify(all));
  else for (const s of all) out(consoleSafe(`${s.id.padEnd(36)} ${s.title}`));
}

export async function scenario(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return list(rest);
  if (sub !== 'run')
    throw new UsageError(
      sub === undefined
        ? 'say what to do: scenario run FILE|ID, or scenario list'
        : `unknown scenario action "${sub}"; use scenario run FILE|ID, or scenario list`,
    );
  const [target, ...flags] = rest;
  if (target === undefined || target.startsWith('-'))
    throw new UsageError(
      'scenario run needs a scenario: a JSON or YAML file, or a shipped id (scenario list)',
    );
  const f = parseFlags(flags, SPEC);
  const req = requestOf(target);

  const serve = await runningServe(f['data-dir']);
  if (serve && f.folder !== undefined)
    throw new UsageError(
      `a serve is running on data dir ${f['data-dir']}; the scenario runs against its folder, so leave out --folder (or stop that serve)`,
    );
  // The embedded workbench is made the way the scenario needs (a --proof enforce host, say).
  const proof = (
    req.id !== undefined
      ? shippedScenarios().find((s) => s.id === req.id)?.scenario
      : parseScenarioText(req.text!)
  )?.requires?.proof;
  const run = serve ? await viaServe(serve, req) : await embedded(req, proof, f.folder, f['data-dir']);

  reportRun(run, { json: f.json === true, junit: f.junit, out, scrub: redactText });
}
