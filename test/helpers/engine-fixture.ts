// An in-process engine (createWorkbench on port 0) over a temp folder and a real SQLite data dir, for the
// integration tests that drive the engine directly: lock semantics, storage, the control API, the host page.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { WorkbenchOptions } from '../../server/config/options';
import type { RequestRecord } from '../../server/contracts/api';
import type { EventEnvelope, EventMap, EventType } from '../../server/contracts/events';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import type { WopiResponse, WopiTarget } from './wopi-client';

const WAIT_MS = 10_000;

/** A settable clock: the engine reads time only through it. */
export function manualClock(start = Date.now()) {
  let t = start;
  return {
    now: (): number => t,
    advance(ms: number): void {
      t += ms;
    },
  };
}

/** Writes `rel -> content` (forward slashes) below `folder`, creating sub-folders. */
export async function writeTree(folder: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(folder, ...rel.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

/** A temp root with `folder` (holding `files`) and, for tests that need one, an empty sibling `outside`. */
export async function makeRoot(
  prefix: string,
  files: Record<string, Buffer | string> = {},
  options: { outside?: boolean } = {},
): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), prefix));
  await mkdir(path.join(root, 'folder'), { recursive: true });
  if (options.outside === true) await mkdir(path.join(root, 'outside'), { recursive: true });
  await writeTree(path.join(root, 'folder'), files);
  return root;
}

let uniqueCounter = 0;
/** A file name no other call in this test process returns: `<stem>-<n><ext>`. */
export function uniqueName(stem: string, ext = '.docx'): string {
  uniqueCounter += 1;
  return `${stem}-${uniqueCounter}${ext}`;
}

export interface EngineBench {
  engine: Workbench;
  root: string;
  folder: string;
  dataDir: string;
  /** `<root>/outside`, next to the served folder (exists only if makeRoot was asked for it). */
  outside: string;
  abs(rel: string): string;
  /** A WOPI target with a freshly minted token (default persona unless `user`). */
  target(id: string, user?: string, permissions?: 'view' | 'edit'): WopiTarget;
  /** Id of a served file by relative path (the index's own answer). */
  idOf(rel: string): Promise<string>;
  /** Writes a file into the served folder, indexes it and returns a target for it. */
  file(
    rel: string,
    content: Buffer | string,
    user?: string,
  ): Promise<WopiTarget & { id: string; abs: string }>;
  /** Stops the engine; the temp root stays (a restart may reuse it). */
  stop(): Promise<void>;
  /** Stops the engine and removes the temp root. */
  dispose(): Promise<void>;
}

/** Starts an engine on `<root>/folder` with its data dir in `<root>/data`. */
export async function startEngine(root: string, extra: Partial<WorkbenchOptions> = {}): Promise<EngineBench> {
  const folder = path.join(root, 'folder');
  const dataDir = path.join(root, 'data');
  await mkdir(folder, { recursive: true });
  const engine = createWorkbench({ folder, dataDir, watch: false, ...extra });
  await engine.start();
  const abs = (rel: string): string => path.join(folder, ...rel.split('/'));
  const target = (id: string, user?: string, permissions?: 'view' | 'edit'): WopiTarget => {
    const g = engine.mintTokenForId(id, user, permissions);
    return { wopiSrc: g.wopiSrc, accessToken: g.accessToken };
  };
  const stop = (): Promise<void> => engine.stop();
  return {
    engine,
    root,
    folder,
    dataDir,
    outside: path.join(root, 'outside'),
    abs,
    target,
    async idOf(rel) {
      const listed = await engine.index.list();
      const f = listed.find((x) => x.path === rel);
      assert.ok(f, `${rel} is not in the index: ${listed.map((x) => x.path).join(', ')}`);
      return f.id;
    },
    async file(rel, content, user) {
      await writeTree(folder, { [rel]: content });
      const fresh = await engine.index.ensure(rel);
      assert.ok(fresh, `${rel} should be served`);
      return { ...target(fresh.row.id, user), id: fresh.row.id, abs: abs(rel) };
    },
    stop,
    async dispose() {
      await stop();
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** Starts an engine for one test and always disposes of it, whatever the test does. */
export async function withEngine<T>(
  extra: Partial<WorkbenchOptions>,
  run: (bench: EngineBench) => Promise<T>,
  prefix = 'wb-engine-',
): Promise<T> {
  const bench = await startEngine(await makeRoot(prefix), extra);
  try {
    return await run(bench);
  } finally {
    await bench.dispose();
  }
}

/**
 * Registers before/after hooks that start `start()` for the enclosing suite and dispose of it, and returns
 * the started value. Reading it before the `before` hook has run is a test bug and fails loudly.
 */
export function forSuite<T extends { dispose(): Promise<void> }>(start: () => Promise<T>): T {
  let current: T | undefined;
  before(async () => {
    current = await start();
  });
  after(async () => {
    await current?.dispose();
  });
  // The hooks run later than this call, so hand out a view that reads the started value when used.
  return new Proxy({} as T, {
    get(_target, key) {
      // A plain throw, not an assertion: this guards the fixture, it checks nothing about the product.
      if (current === undefined)
        throw new Error(`suite fixture read before its before() hook ran (${String(key)})`);
      const value = Reflect.get(current, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/** `forSuite` for the common case: a fresh temp root with `files`, and an engine on it. */
export function engineForSuite(
  prefix: string,
  files: Record<string, Buffer | string> = {},
  extra: Partial<WorkbenchOptions> = {},
  rootOptions: { outside?: boolean } = {},
): EngineBench {
  return forSuite(async () => startEngine(await makeRoot(prefix, files, rootOptions), extra));
}

export interface WiredBench {
  wb: Workbench;
  rooms: Workbench['rooms'];
  root: string;
  folder: string;
  /** File ids by relative path, as indexed at start. */
  ids: Record<string, string>;
  dispose(): Promise<void>;
}

/**
 * An engine with all its rooms started (discovery, host page, tunnel, control API), as the app runs it.
 * `beforeStart` sees the engine before it listens (e.g. to subscribe to the bus).
 */
export async function startWiredEngine(options: {
  prefix: string;
  files: Record<string, Buffer | string>;
  engine?: Partial<WorkbenchOptions>;
  beforeStart?: (wb: Workbench) => void;
}): Promise<WiredBench> {
  const root = await makeRoot(options.prefix, options.files);
  const folder = path.join(root, 'folder');
  const wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false, ...options.engine });
  options.beforeStart?.(wb);
  const rooms = wb.rooms;
  await wb.start();
  const ids: Record<string, string> = {};
  for (const f of wb.files.listPresent()) ids[f.path] = f.id;
  return {
    wb,
    rooms,
    root,
    folder,
    ids,
    async dispose() {
      await wb.stop();
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** Resolves with the first matching event; subscribe before acting. Bounded. */
export function nextEvent<K extends EventType>(
  engine: Workbench,
  type: K,
  match: (data: EventMap[K]) => boolean,
): Promise<EventEnvelope<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const off = engine.bus.on(type, (e) => {
      if (!match(e.data)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** The log row of one response (written when the response closes, so wait for it). */
export async function logged(engine: Workbench, res: WopiResponse): Promise<RequestRecord> {
  const id = res.header('x-request-id');
  assert.ok(id, `response has no x-request-id\n${res.describe()}`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rec = engine.requestLog.get(id);
    if (rec) return rec;
    assert.ok(Date.now() < deadline, `request ${id} was never logged`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
