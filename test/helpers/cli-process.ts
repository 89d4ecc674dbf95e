// Spawns the real CLI (`bin/wopi-workbench.mjs serve`) over a temp folder and data dir, and mints tokens
// with the `token` command, so integration tests talk to the same process a user would run.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sendRequest } from './wopi-client';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
// WOPI_WORKBENCH_BIN points the suite at another build of the CLI (e.g. a packaged one).
const cliPath = process.env['WOPI_WORKBENCH_BIN'] ?? path.join(repoRoot, 'bin', 'wopi-workbench.mjs');

const READY_TIMEOUT_MS = 30_000;
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

function childEnv(): NodeJS.ProcessEnv {
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
  const auth = { Authorization: `Bearer ${controlToken}` };
  const listed = await sendRequest({ method: 'GET', url: `${controlUrl}/v1/files`, headers: auth });
  if (listed.status !== 200) throw new Error(`GET /v1/files answered ${listed.status}: ${listed.text}`);
  const parsed = JSON.parse(listed.text) as unknown;
  const items = Array.isArray(parsed) ? parsed : (parsed as { items?: unknown }).items;
  const file = (Array.isArray(items) ? (items as Array<{ id?: unknown; path?: unknown }>) : []).find(
    (f) => f.path === relPath,
  );
  if (typeof file?.id !== 'string') throw new Error(`GET /v1/files lists no file at ${relPath}`);
  const body = JSON.stringify({
    fileId: file.id,
    ...(options.user !== undefined ? { personaId: options.user } : {}),
    ...(options.permissions !== undefined ? { permissions: options.permissions } : {}),
    ...(options.ttlMinutes !== undefined ? { ttlMinutes: options.ttlMinutes } : {}),
  });
  const minted = await sendRequest({
    method: 'POST',
    url: `${controlUrl}/v1/tokens`,
    headers: { ...auth, 'Content-Type': 'application/json' },
    body,
  });
  const grant = minted.status === 200 ? asTokenGrant(JSON.parse(minted.text)) : null;
  if (!grant) throw new Error(`POST /v1/tokens answered ${minted.status}: ${minted.text}`);
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

export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  const root = await mkdtemp(path.join(tmpdir(), 'wopi-conformance-'));
  const folder = path.join(root, 'folder');
  const dataDir = path.join(root, 'data');
  await mkdir(folder, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  await writeFiles(folder, options.files);

  const args = [
    cliPath,
    'serve',
    '--folder',
    folder,
    '--data-dir',
    dataDir,
    '--wopi-port',
    '0',
    '--control-port',
    '0',
    '--json',
    ...(options.proof === undefined || options.proof === 'default' ? [] : ['--proof', options.proof]),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));

  let tail = '';
  let stopping = false;
  // A server that dies mid-run makes every later request fail with ECONNREFUSED; say why, once.
  child.once('exit', (code, signal) => {
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

  const cleanupDirs = (): Promise<void> => rm(root, { recursive: true, force: true, maxRetries: 5 });
  const stop = async (): Promise<void> => {
    stopping = true;
    if (!(await waitForExit(child, 0))) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }
    await cleanupDirs();
  };

  // Keep draining stdout for the whole run: later lines are events, and a full pipe would stall the server.
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<ReadyEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`serve printed no ready event within ${READY_TIMEOUT_MS} ms\n${tail}`));
    }, READY_TIMEOUT_MS);
    lines.on('line', (line) => {
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
    child.once('exit', (code, signal) => {
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

  let event: ReadyEvent;
  try {
    event = await ready;
  } catch (error) {
    await stop();
    throw error;
  }

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
    output: () => tail,
    stop,
  };
}
