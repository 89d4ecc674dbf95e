// A real `serve` process for the chaos tests, keeping *all* of its stdout and stderr (the secrets scan
// reads every byte it printed), in JSON or human mode, and restartable on the same folder and data dir
// (the crash loop). The control token comes from the ready line, or from runtime.json in human mode.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childEnv, cliPath, repoRoot } from '../cli-process';
import { writeTree } from '../engine-fixture';
import { sendRequest } from '../wopi-client';
import type { WopiResponse } from '../wopi-client';

const READY_MS = 60_000;
const STOP_MS = 15_000;

export interface ServeRun {
  child: ChildProcess;
  wopiUrl: string;
  controlUrl: string;
  controlToken: string;
  /** Every byte the process printed so far. */
  stdout(): string;
  stderr(): string;
  /** The stdout text of the ready announcement (the one place the control token may appear). */
  readyText: string;
  alive(): boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeTarget {
  root: string;
  folder: string;
  dataDir: string;
  json: boolean;
  run: ServeRun;
  /** All runs so far (the crash loop restarts), oldest first. */
  runs: ServeRun[];
  /** The control API, with the current run's token. */
  control(method: string, route: string, body?: unknown): Promise<WopiResponse>;
  kill9(): Promise<void>;
  restart(): Promise<ServeRun>;
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

async function launch(folder: string, dataDir: string, json: boolean, args: string[]): Promise<ServeRun> {
  const argv = [cliPath, 'serve', '--folder', folder, '--data-dir', dataDir, '--wopi-port', '0'];
  argv.push('--control-port', '0', ...(json ? ['--json'] : []), ...args);
  const child = spawn(process.execPath, argv, {
    cwd: repoRoot,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  let dead = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      dead = true;
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err += d));
  const ready = await new Promise<{ text: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve printed no ready output in ${READY_MS} ms\n${out}\n${err}`)),
      READY_MS,
    );
    child.stdout!.on('data', (d: string) => {
      out += d;
      const text = readyText(out, json);
      if (text !== null) {
        clearTimeout(timer);
        resolve({ text });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited before ready (${String(code)}/${String(signal)})\n${out}\n${err}`));
    });
  });
  // Both modes write runtime.json before announcing; it has the URLs and the control token.
  const runtime = JSON.parse(await readFile(path.join(dataDir, 'runtime.json'), 'utf8')) as Record<
    string,
    string
  >;
  return {
    child,
    wopiUrl: runtime['wopiUrl']!,
    controlUrl: runtime['controlUrl']!,
    controlToken: runtime['controlToken']!,
    stdout: () => out,
    stderr: () => err,
    readyText: ready.text,
    alive: () => !dead && child.exitCode === null,
    exited,
  };
}

/** The ready announcement once complete: the JSON ready line, or the human block up to "Press Ctrl-C". */
function readyText(out: string, json: boolean): string | null {
  if (json) {
    for (const line of out.split('\n')) {
      if (line.startsWith('{') && line.includes('"event":"ready"') && out.includes(`${line}\n`)) return line;
    }
    return null;
  }
  const start = out.indexOf('WOPI Workbench is running.');
  const end = out.indexOf('Press Ctrl-C to stop.', start);
  if (start < 0 || end < 0) return null;
  return out.slice(start, end + 'Press Ctrl-C to stop.'.length);
}

export async function startServeTarget(options: {
  files: Record<string, Buffer | string>;
  json?: boolean;
  args?: string[];
  prefix?: string;
}): Promise<ServeTarget> {
  const root = await mkdtemp(path.join(tmpdir(), options.prefix ?? 'wb-chaos-'));
  const folder = path.join(root, 'folder');
  const dataDir = path.join(root, 'data');
  await mkdir(folder, { recursive: true });
  await writeTree(folder, options.files);
  const json = options.json ?? true;
  const args = options.args ?? [];
  const runs: ServeRun[] = [];
  try {
    runs.push(await launch(folder, dataDir, json, args));
  } catch (e) {
    await rm(root, { recursive: true, force: true });
    throw e;
  }
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const r = target.run;
    if (!r.alive()) return;
    r.child.kill(signal);
    const timer = setTimeout(() => r.child.kill('SIGKILL'), STOP_MS);
    await r.exited;
    clearTimeout(timer);
  };
  const target: ServeTarget = {
    root,
    folder,
    dataDir,
    json,
    runs,
    get run() {
      return runs[runs.length - 1]!;
    },
    control: (method, route, body) =>
      sendRequest({
        method,
        url: `${target.run.controlUrl}${route}`,
        headers: {
          Authorization: `Bearer ${target.run.controlToken}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    kill9: () => stop('SIGKILL'),
    async restart() {
      await stop('SIGKILL');
      runs.push(await launch(folder, dataDir, json, args));
      return target.run;
    },
    async dispose() {
      await stop('SIGTERM');
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
    },
  };
  return target;
}
