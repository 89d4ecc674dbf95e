// `wopi-workbench check`: the conformance suite against any WOPI host, as a CI step. It builds a
// workbench on the data dir without binding anything (as `token` does), so every request it sends
// is a record in that data dir's request log and the run is stored: the inspector shows both later.
// Exit 0 when nothing failed or broke, 1 otherwise (a refused or unreachable run included), 2 for a
// mistake on the command line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiModelError } from '../../api';
import type { CheckRunView, StartCheckRequest } from '../../contracts/api';
import { redactText } from '../../events/redact';
import { createWorkbench } from '../../workbench';
import { CliError, parseFlags, UsageError } from '../args';
import { reportRun } from '../run-report';
import { defaultSamplesDataDir } from '../data-dir';

// Its flags, their checks and its help: the 'check' entries of ../flags.ts.
const SPEC = 'check';

/** The token as given on the command line, and the WOPISrc without it. */
function targetOf(wopisrc: string, token: string | undefined): { wopiSrc: string; accessToken: string } {
  const url = new URL(wopisrc);
  const inUrl = url.searchParams.get('access_token') ?? undefined;
  const accessToken = token ?? inUrl;
  if (accessToken === undefined || accessToken === '')
    throw new UsageError('--token is required, unless the --wopisrc URL carries ?access_token=');
  return { wopiSrc: url.href, accessToken };
}

export async function check(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  const { wopiSrc, accessToken } = targetOf(f.wopisrc, f.token);
  const groups = f.groups
    ?.split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  const dataDir = f['data-dir'] ?? defaultSamplesDataDir();
  // Whatever leaves this process loses the token: the redactor knows the token shapes of this host
  // and the query/Bearer spellings; the token itself, from any host, is scrubbed by value too.
  const scrub = (text: string): string =>
    accessToken.length < 6
      ? redactText(text)
      : redactText(text).split(accessToken).join('[the access token]');
  const out = (line: string): void => void process.stdout.write(`${line}\n`);

  // The workbench serves nothing here; the folder it must have is an empty scratch one.
  const folder = mkdtempSync(path.join(tmpdir(), 'wopi-workbench-check-'));
  let wb;
  try {
    wb = createWorkbench({ folder, dataDir, watch: false });
  } catch (e) {
    rmSync(folder, { recursive: true, force: true });
    throw e;
  }
  let run: CheckRunView;
  try {
    if (f.sign === true) {
      process.stderr.write(
        scrub(
          `Signing with the simulated client's proof keys of data dir ${wb.options.dataDir}. Your host must trust ` +
            `that client's discovery: \`wopi-workbench serve --data-dir ${wb.options.dataDir}\` serves it and prints its URL ("Simulator:").\n`,
        ),
      );
    }
    const ended = new Map<string, CheckRunView>();
    const waiters = new Map<string, (r: CheckRunView) => void>();
    wb.bus.on('check:updated', ({ data }) => {
      if (data.state === 'running') return;
      ended.set(data.id, data);
      waiters.get(data.id)?.(data);
    });
    const req: StartCheckRequest = { wopiSrc, accessToken };
    if (f['token-ttl'] !== undefined) req.accessTokenTtl = f['token-ttl'];
    if (groups !== undefined && groups.length > 0) req.groups = groups;
    if (f.sign === true) req.sign = true;
    if (f['allow-writes'] === true) req.allowWrites = true;
    let started: CheckRunView;
    try {
      started = await wb.api.startCheck(req);
    } catch (e) {
      // An unknown group or a malformed URL is the command line's mistake.
      if (e instanceof ApiModelError && e.code === 'bad-request') throw new UsageError(e.message);
      if (e instanceof ApiModelError) throw new CliError(e.message);
      throw e;
    }
    run = await new Promise<CheckRunView>((resolve) => {
      const done = ended.get(started.id);
      if (done) resolve(done);
      else waiters.set(started.id, resolve);
    });
  } finally {
    // Flushes the request log and stores the run before anything is printed.
    await wb.stop();
    rmSync(folder, { recursive: true, force: true });
  }

  reportRun(run, { json: f.json === true, junit: f.junit, out, scrub: scrub });
}
