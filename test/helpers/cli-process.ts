// Spawns the real CLI (`bin/wopi-workbench.mjs serve`) over a temp folder and data dir, and mints tokens
// with the `token` command, so integration tests talk to the same process a user would run.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createControlClient } from '../../server/contracts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// WOPI_WORKBENCH_BIN points the suite at another build of the CLI (e.g. a packaged one).
export const cliPath = process.env['WOPI_WORKBENCH_BIN'] ?? path.join(repoRoot, 'bin', 'wopi-workbench.mjs');

// Serve's ready line, a one-shot CLI run and an expected exit each get this long.
const WAIT_MS = 30_000;
const TOKEN_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_TAIL_CHARS = 8_000;

export interface ReadyEvent {
  event: 'ready';
  wopiUrl: string;
  controlUrl: string;
  controlToken: string;
  uiUrl: string;
  publicUrl: string;
  folder?: string;
  dataDir?: string;
  /** Present (true) when the folder is the sample copy of `serve --samples`. */
  sampleCopy?: boolean;
  /** The tunnel's state at ready, when a tunnel or public URL was asked for. */
  tunnel?: { status: string; provider: string; error?: string };
}

export interface TokenGrant {
  wopiSrc: string;
  accessToken: string;
  accessTokenTtl: number;
}

export interface TokenOptions {
  user?: string;
  permissions?: 'view' | 'edit';
  ttlMinutes?: number;
}

export interface ServeOptions {
  /** Relative path (forward slashes) -> content, written into the served folder before start. */
  files: Record<string, Buffer | string>;
  /**
   * `--proof` mode. By default no `--proof` flag is passed: a plain `serve` verifies and reports proofs
   * but answers unsigned callers like Microsoft's open-source validator (PITFALLS B8), exactly as
   * the acceptance check runs it.
   */
  proof?: 'enforce' | 'report' | 'off' | 'default';
  /** Extra flags appended to `serve`. */
  args?: string[];
}

export interface ServeHandle {
  wopiUrl: string;
  controlUrl: string;
  controlToken: string;
  publicUrl: string;
  /** Temp root holding `folder`, `data` and anything a test wants to keep outside the served folder. */
  root: string;
  folder: string;
  dataDir: string;
  /**
   * Mints a token through the control API (POST /v1/tokens, in-process and fast); falls back to the
   * `token` command, with a note on stderr, if the control API cannot do it.
   */
  token(relPath: string, options?: TokenOptions): Promise<TokenGrant>;
  /** Mints a token with `wopi-workbench token --json`, a process of its own. */
  tokenViaCli(relPath: string, options?: TokenOptions): Promise<TokenGrant>;
  /** Recent stdout/stderr of the serve process, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

// Children still running when the test process exits are killed, so a crashed test never leaks a server.
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export function childEnv(): NodeJS.ProcessEnv {
  // The test runner marks its own children; the CLI is not a test file.
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  return env;
}

function appendTail(tail: string, chunk: string): string {
  const next = tail + chunk;
  return next.length > OUTPUT_TAIL_CHARS ? next.slice(next.length - OUTPUT_TAIL_CHARS) : next;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

function isReadyEvent(value: unknown): value is ReadyEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v['event'] === 'ready' && typeof v['wopiUrl'] === 'string';
}

function asTokenGrant(value: unknown): TokenGrant | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    typeof v['wopiSrc'] === 'string' &&
    typeof v['accessToken'] === 'string' &&
    typeof v['accessTokenTtl'] === 'number'
  ) {
    return { wopiSrc: v['wopiSrc'], accessToken: v['accessToken'], accessTokenTtl: v['accessTokenTtl'] };
  }
  return null;
}

function parseTokenGrant(stdout: string): TokenGrant {
  for (const line of stdout.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      continue;
    }
    const grant = asTokenGrant(parsed);
    if (grant) return grant;
  }
  throw new Error(`token command printed no {wopiSrc, accessToken, accessTokenTtl} JSON line:\n${stdout}`);
}

async function mintViaControl(
  controlUrl: string,
  controlToken: string,
  relPath: string,
  options: TokenOptions,
): Promise<TokenGrant> {
  const client = createControlClient({ baseUrl: controlUrl, token: controlToken });
  const file = (await client.files()).find((f) => f.path === relPath);
  if (!file) throw new Error(`GET /v1/files lists no file at ${relPath}`);
  const minted = await client.mintToken({
    body: {
      fileId: file.id,
      personaId: options.user,
      permissions: options.permissions,
      ttlMinutes: options.ttlMinutes,
    },
  });
  // The serve may be another build (WOPI_WORKBENCH_BIN): check the answer's shape, not just its type.
  const grant = asTokenGrant(minted);
  if (!grant) throw new Error(`POST /v1/tokens answered ${JSON.stringify(minted)}`);
  return grant;
}

function runToken(dataDir: string, relPath: string, options: TokenOptions): Promise<TokenGrant> {
  const args = [cliPath, 'token', '--data-dir', dataDir, '--file', relPath, '--json'];
  if (options.user !== undefined) args.push('--user', options.user);
  if (options.permissions !== undefined) args.push('--permissions', options.permissions);
  if (options.ttlMinutes !== undefined) args.push('--ttl-minutes', String(options.ttlMinutes));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: repoRoot, env: childEnv(), timeout: TOKEN_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `token --file ${relPath} failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`,
            ),
          );
          return;
        }
        try {
          resolve(parseTokenGrant(stdout));
        } catch (parseError) {
          reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
        }
      },
    );
  });
}

async function writeFiles(folder: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [relPath, content] of Object.entries(files)) {
    const target = path.join(folder, ...relPath.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export interface CliRun {
  /** Exit code; null when the run was killed (e.g. by the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI once to completion, bounded, like a user in a shell. */
export function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: repoRoot, env: childEnv(), timeout: WAIT_MS },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** `token --json` for `rel`: the file id (the last segment of wopiSrc) and the access token. */
export async function cliToken(dataDir: string, rel: string): Promise<{ id: string; accessToken: string }> {
  const r = await runCli(['token', '--data-dir', dataDir, '--file', rel, '--json']);
  assert.equal(r.code, 0, `token --file ${rel}: ${r.stderr}`);
  const g = JSON.parse(r.stdout.trim()) as { wopiSrc: string; accessToken: string };
  return { id: g.wopiSrc.split('/').pop()!, accessToken: g.accessToken };
}

export interface ServeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `serve` process on a folder and data dir the caller owns (they are not removed). */
export interface ServeProcess {
  child: ChildProcess;
  ready: ReadyEvent;
  /** Every stdout line so far (events after ready included). */
  stdout(): string;
  /** Recent stdout and stderr, for failure messages. */
  output(): string;
  exited: Promise<ServeExit>;
  /** Sends a signal on purpose (no "exited unexpectedly" note follows). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit once the process is gone; fails after `timeoutMs`. */
  exitWithin(timeoutMs?: number): Promise<ServeExit>;
}

/** Starts `serve --folder --data-dir --json …args` and waits for its ready event. */
export function spawnServe(folder: string, dataDir: string, args: string[] = []): Promise<ServeProcess> {
  return spawnServeWith(['--folder', folder, '--data-dir', dataDir, ...args]);
}

/** Starts `serve --json …args` (args say what to serve) and waits for its ready event. */
export async function spawnServeWith(args: string[], bin = cliPath): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, 'serve', '--json', ...args], {
    cwd: repoRoot,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  const exited = new Promise<ServeExit>((resolve) =>
    child.once('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    }),
  );

  let tail = '';
  let stdout = '';
  let stopping = false;
  // A server that dies mid-run makes every later request fail with ECONNREFUSED; say why, once.
  void exited.then(({ code, signal }) => {
    if (!stopping) {
      process.stderr.write(
        `wopi-workbench serve exited unexpectedly (code ${String(code)}, signal ${String(signal)})\n${tail}\n`,
      );
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    tail = appendTail(tail, chunk);
  });
  const kill = (signal: NodeJS.Signals): void => {
    stopping = true;
    child.kill(signal);
  };

  // Keep draining stdout for the whole run: later lines are events, and a full pipe would stall the server.
  const lines = createInterface({ input: child.stdout });
  const stdoutDone = new Promise<void>((resolve) => lines.once('close', resolve));
  const ready = new Promise<ReadyEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`serve printed no ready event within ${WAIT_MS} ms\n${tail}`));
    }, WAIT_MS);
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      tail = appendTail(tail, `${line}\n`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      if (isReadyEvent(parsed)) {
        clearTimeout(timer);
        resolve(parsed);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(`serve exited before ready (code ${String(code)}, signal ${String(signal)})\n${tail}`),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

  const exitWithin = async (timeoutMs = WAIT_MS): Promise<ServeExit> => {
    const deadline = Date.now() + timeoutMs;
    if (!(await waitForExit(child, timeoutMs))) {
      throw new Error(`serve did not exit within ${timeoutMs} ms\n${tail}`);
    }
    // 'exit' can come before the last stdout lines are read; callers check those lines (the stopped event).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      stdoutDone,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    return exited;
  };

  let event: ReadyEvent;
  try {
    event = await ready;
  } catch (error) {
    kill('SIGKILL');
    await waitForExit(child, STOP_TIMEOUT_MS);
    throw error;
  }
  return {
    child,
    ready: event,
    stdout: () => stdout,
    output: () => tail,
    exited,
    kill,
    exitWithin,
  };
}

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const root = await mkdtemp(path.join(tmpdir(), 'wopi-conformance-'));
  const folder = path.join(root, 'folder');
  const dataDir = path.join(root, 'data');
  await mkdir(folder, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  await writeFiles(folder, options.files);

  const cleanupDirs = (): Promise<void> => rm(root, { recursive: true, force: true, maxRetries: 5 });
  let proc: ServeProcess;
  try {
    proc = await spawnServe(folder, dataDir, [
      '--wopi-port',
      '0',
      '--control-port',
      '0',
      ...(options.proof === undefined || options.proof === 'default' ? [] : ['--proof', options.proof]),
      ...(options.args ?? []),
    ]);
  } catch (error) {
    await cleanupDirs();
    throw error;
  }
  const { child, ready: event } = proc;
  const stop = async (): Promise<void> => {
    if (!(await waitForExit(child, 0))) {
      proc.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        proc.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }
    await cleanupDirs();
  };

  return {
    wopiUrl: event.wopiUrl,
    controlUrl: event.controlUrl,
    controlToken: event.controlToken,
    publicUrl: event.publicUrl,
    root,
    folder,
    dataDir,
    token: async (relPath, tokenOptions = {}) => {
      try {
        return await mintViaControl(event.controlUrl, event.controlToken, relPath, tokenOptions);
      } catch (error) {
        process.stderr.write(
          `control-API token for ${relPath} failed, using the token command: ${String(error)}\n`,
        );
        return runToken(dataDir, relPath, tokenOptions);
      }
    },
    tokenViaCli: (relPath, tokenOptions = {}) => runToken(dataDir, relPath, tokenOptions),
    output: () => proc.output(),
    stop,
  };
}
