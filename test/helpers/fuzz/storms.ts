// Storms: many concurrent requests aimed at one file, each checked against what a correct host must
// do. Rename storms (one file, 4–16 renames at once, readers alongside), lock storms checked for
// linearizability, a Version storm (saves under concurrent CheckFileInfo / GetFile), and a stalled
// upload that must not hold up the file's other writers.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileView } from '../../../server/contracts';
import { TEMP_PREFIX } from '../../../server/storage/paths';
import type { Violation } from './checks';
import { describeResponse } from './checks';
import { taggedBody } from './inputs';
import { linearize } from './lin-check';
import type { HistoryEntry, LockOp, LockState } from './lin-check';
import type { Rng } from './rng';
import type { ServeTarget } from './target';
import { sha256 } from './world';
import { call, createFile, jsonOf, ops, statusOf } from './wopi-raw';
import type { FileHandle, Timed } from './wopi-raw';

export interface StormContext {
  target: ServeTarget;
  /** A served file to create the storm files next to (PutRelativeFile). */
  seed: FileHandle;
  rng: Rng;
  /** Every request must be answered within this long. */
  bound: number;
}

/** A storm finding; `tag` says which rule it broke (the known-defect matchers read it). */
export type StormViolation = Violation & { tag: string };

const v = (tag: string, message: string, kind: Violation['kind'] = 'storm'): StormViolation => ({
  kind,
  tag,
  message,
});

function answerProblem(
  t: Timed,
  what: string,
  allowed: readonly number[],
  tag: string,
): StormViolation | null {
  if (!t.res) return v(`${tag}-unanswered`, `${what}: ${t.outcome.kind}`, 'unanswered');
  if (t.res.status >= 500 && t.res.status !== 501)
    return v(`${tag}-5xx`, `${what} ${describeResponse(t.res)}`, '5xx');
  if (!allowed.includes(t.res.status))
    return v(`${tag}-status`, `${what}: expected ${allowed.join('/')}, ${describeResponse(t.res)}`);
  return null;
}

async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), r)));
    else out.push(r);
  }
  return out;
}

/** Reads the file in a loop (GetFile and CheckFileInfo) until `stop` resolves: it exists the whole time. */
async function readers(
  ctx: StormContext,
  f: FileHandle,
  count: number,
  stop: Promise<void>,
): Promise<StormViolation[]> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const found: StormViolation[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, k) => {
      while (!stopped) {
        const get = k % 2 === 0;
        const t = await call(
          ctx.target.run.wopiUrl,
          f,
          get ? ops.getFile(ctx.bound) : ops.checkFileInfo(ctx.bound),
        );
        const p = answerProblem(
          t,
          `${get ? 'GetFile' : 'CheckFileInfo'} during the storm`,
          [200],
          get ? 'reader-getfile' : 'reader-checkfileinfo',
        );
        if (p) found.push(p);
      }
    }),
  );
  return found;
}

const STORM_NAMES = ['報告\u3000書', 'café', '📄 notes', 'מסמך', 'plain', 'e\u0301te\u0301', 'a+b', 'ümlaut'];

/** 4–16 concurrent RenameFile on one file: each answers 200/404/409, and the file ends up once, under an answered name. */
export async function renameStorm(
  ctx: StormContext,
  round: number,
  concurrency: number,
  withLock: boolean,
): Promise<StormViolation[]> {
  const origin = ctx.target.run.wopiUrl;
  const body = taggedBody(ctx.rng, `rename storm ${round}`, 2048);
  const f = await createFile(origin, ctx.seed, `storm-${round}.docx`, body, ctx.bound);
  const found: StormViolation[] = [];
  const lockId = `RL${round}`;
  if (withLock) {
    const t = await call(origin, f, ops.lock(lockId, ctx.bound));
    const p = answerProblem(t, 'Lock before the storm', [200], 'rename-setup');
    if (p) return [p];
  }
  let release!: () => void;
  const stop = new Promise<void>((r) => (release = r));
  const reading = readers(ctx, f, 2, stop);
  const names = Array.from({ length: concurrency }, (_, i) => `r${round}-${i}-${ctx.rng.pick(STORM_NAMES)}`);
  const renames = await Promise.all(
    names.map(async (name, i) => {
      const right = !withLock || i % 2 === 0;
      const t = await call(
        origin,
        f,
        ops.rename(name, withLock ? (right ? lockId : 'WRONG') : '', ctx.bound),
      );
      return { name, right, t };
    }),
  );
  release();
  found.push(...(await reading));
  const answered = new Set<string>();
  for (const { name, right, t } of renames) {
    const p = answerProblem(t, `RenameFile to ${JSON.stringify(name)}`, [200, 404, 409], 'rename');
    if (p) found.push(p);
    if (t.res?.status === 200) {
      const got = jsonOf(t)?.['Name'];
      if (typeof got === 'string') answered.add(`${got}.docx`);
      if (!right) found.push(v('rename-lock', `RenameFile with a wrong lock id succeeded (${name})`));
    }
    if (t.res?.status === 409 && t.res.header('x-wopi-lock') === undefined)
      found.push(v('rename-lock', `RenameFile 409 without X-WOPI-Lock (${name})`, 'lock-409'));
    if (withLock && !right && t.res?.status === 409 && t.res.header('x-wopi-lock') !== lockId)
      found.push(
        v(
          'rename-lock',
          `RenameFile 409 reports ${JSON.stringify(t.res.header('x-wopi-lock'))}, not the lock ${lockId}`,
          'lock-409',
        ),
      );
  }
  // The end state: exactly one file with these bytes, listed once, under a name one rename answered.
  const listed = JSON.parse((await ctx.target.control('GET', '/v1/files')).text) as FileView[];
  const mine = listed.filter((x) => x.id === f.id);
  const onDisk = [];
  for (const rel of await walk(ctx.target.folder)) {
    if (path.posix.basename(rel).startsWith(TEMP_PREFIX)) continue;
    if (sha256(await readFile(path.join(ctx.target.folder, ...rel.split('/')))) === sha256(body))
      onDisk.push(rel);
  }
  const expected = answered.size ? [...answered] : [f.name];
  // Not listed at all is how a read that raced a rename shows (it marks the file deleted): its own tag.
  if (mine.length !== 1)
    found.push(
      v(
        mine.length ? 'rename-end' : 'rename-end-unlisted',
        `the file is listed ${mine.length} times after the storm`,
      ),
    );
  if (onDisk.length !== 1)
    found.push(
      v(
        'rename-end',
        `the file's bytes are on disk ${onDisk.length} times after the storm: ${onDisk.join(', ')}`,
      ),
    );
  const name = mine[0] ? path.posix.basename(mine[0].path) : undefined;
  if (name !== undefined && !expected.includes(name))
    found.push(
      v(
        'rename-end',
        `after the storm the file is named ${JSON.stringify(name)}, not one of the answered names ${JSON.stringify(expected)}`,
      ),
    );
  if (mine[0] && onDisk[0] !== undefined && onDisk[0] !== mine[0].path)
    found.push(
      v(
        'rename-end',
        `the host lists ${JSON.stringify(mine[0].path)} but the bytes are at ${JSON.stringify(onDisk[0])}`,
      ),
    );
  const info = await call(origin, f, ops.checkFileInfo(ctx.bound));
  if (name !== undefined && jsonOf(info)?.['BaseFileName'] !== name)
    found.push(
      v(
        'rename-end',
        `CheckFileInfo says ${JSON.stringify(jsonOf(info)?.['BaseFileName'])}, the host lists ${JSON.stringify(name)}`,
      ),
    );
  return found;
}

const LOCK_IDS = ['A', 'B', 'C'];

function randomLockOp(rng: Rng): LockOp {
  const id = rng.pick(LOCK_IDS);
  switch (
    rng.weighted<LockOp['kind']>([
      ['Lock', 4],
      ['Unlock', 3],
      ['RefreshLock', 2],
      ['UnlockAndRelock', 2],
      ['GetLock', 2],
      ['PutFile', 2],
    ])
  ) {
    case 'Lock':
      return { kind: 'Lock', id };
    case 'Unlock':
      return { kind: 'Unlock', id };
    case 'RefreshLock':
      return { kind: 'RefreshLock', id };
    case 'UnlockAndRelock':
      return { kind: 'UnlockAndRelock', old: rng.pick(LOCK_IDS), id };
    case 'GetLock':
      return { kind: 'GetLock' };
    default:
      return { kind: 'PutFile', id };
  }
}

/** Concurrent lock operations with a few ids, in rounds; every round's history must be linearizable. */
export async function lockStorm(
  ctx: StormContext,
  o: { clients: number; opsPerClient: number; rounds: number },
): Promise<{ violations: StormViolation[]; operations: number }> {
  const origin = ctx.target.run.wopiUrl;
  const f = await createFile(
    origin,
    ctx.seed,
    'lock-storm.docx',
    taggedBody(ctx.rng, 'lock storm', 512),
    ctx.bound,
  );
  const found: StormViolation[] = [];
  let states: Set<LockState> = new Set([null]);
  let operations = 0;
  for (let round = 0; round < o.rounds; round++) {
    const history: HistoryEntry[] = [];
    await Promise.all(
      Array.from({ length: o.clients }, async (_, client) => {
        const rng = ctx.rng.fork(`lock-storm ${round} ${client}`);
        for (let i = 0; i < o.opsPerClient; i++) {
          const op = randomLockOp(rng);
          const req =
            op.kind === 'Lock'
              ? ops.lock(op.id, ctx.bound)
              : op.kind === 'Unlock'
                ? ops.unlock(op.id, ctx.bound)
                : op.kind === 'RefreshLock'
                  ? ops.refreshLock(op.id, ctx.bound)
                  : op.kind === 'UnlockAndRelock'
                    ? ops.unlockAndRelock(op.old, op.id, ctx.bound)
                    : op.kind === 'GetLock'
                      ? ops.getLock(ctx.bound)
                      : ops.putFile(
                          op.id,
                          taggedBody(rng, `lock storm put ${round}.${client}.${i}`, 256),
                          ctx.bound,
                        );
          const t = await call(origin, f, req);
          const p = answerProblem(t, describeOpShort(op), [200, 409], 'lock-storm');
          if (p) {
            found.push(p);
            continue;
          }
          const lock = t.res!.header('x-wopi-lock');
          history.push({
            op,
            invoke: t.invoke,
            respond: t.respond,
            status: t.res!.status,
            ...(lock !== undefined ? { lock } : {}),
            client,
          });
        }
      }),
    );
    operations += history.length;
    const r = linearize(history, states);
    if (!r.ok) {
      found.push(v('lock-linearizability', `lock storm round ${round}: ${r.explanation}`, 'linearizability'));
      // Resynchronise on what the host says now, so later rounds are still checked.
      const now = await call(origin, f, ops.getLock(ctx.bound));
      const cur = now.res?.header('x-wopi-lock');
      states = new Set([cur ? cur : null]);
    } else states = r.finals;
  }
  return { violations: found, operations };
}

const describeOpShort = (op: LockOp): string =>
  op.kind === 'UnlockAndRelock'
    ? `UnlockAndRelock(${op.old}->${op.id})`
    : op.kind === 'GetLock'
      ? 'GetLock'
      : `${op.kind}(${op.id})`;

interface Save {
  start: number;
  end: number;
  status: number | string;
  version?: number;
  sha: string;
}

interface Read {
  reader: number;
  start: number;
  end: number;
  version: number;
  sha?: string;
}

/** Saves under concurrent reads: Version moves forward only, once per successful save, and never shows a version no save made. */
export async function versionStorm(
  ctx: StormContext,
  o: { writers: number; savesPerWriter: number; readers: number },
): Promise<StormViolation[]> {
  const origin = ctx.target.run.wopiUrl;
  const initialBody = taggedBody(ctx.rng, 'version storm', 1024);
  const f = await createFile(origin, ctx.seed, 'version-storm.docx', initialBody, ctx.bound);
  const found: StormViolation[] = [];
  const lockT = await call(origin, f, ops.lock('V', ctx.bound));
  const setup = answerProblem(lockT, 'Lock before the storm', [200], 'version-setup');
  if (setup) return [setup];
  const first = jsonOf(await call(origin, f, ops.checkFileInfo(ctx.bound)));
  const initial = Number(first?.['Version']);
  const saves: Save[] = [];
  const reads: Read[] = [];
  let writing = true;
  const write = async (w: number): Promise<void> => {
    const rng = ctx.rng.fork(`version writer ${w}`);
    for (let i = 0; i < o.savesPerWriter; i++) {
      const body = taggedBody(rng, `version storm save ${w}.${i}`, rng.int(256, 8192));
      const t = await call(origin, f, ops.putFile('V', body, ctx.bound));
      const p = answerProblem(t, 'PutFile in the version storm', [200], 'version-put');
      if (p) found.push(p);
      const iv = Number(t.res?.header('x-wopi-itemversion') ?? NaN);
      saves.push({
        start: t.invoke,
        end: t.respond,
        status: statusOf(t),
        ...(Number.isFinite(iv) ? { version: iv } : {}),
        sha: sha256(body),
      });
    }
  };
  const read = async (r: number): Promise<void> => {
    while (writing) {
      const get = r % 2 === 1;
      const t = await call(origin, f, get ? ops.getFile(ctx.bound) : ops.checkFileInfo(ctx.bound));
      const p = answerProblem(
        t,
        `${get ? 'GetFile' : 'CheckFileInfo'} in the version storm`,
        [200],
        'version-read',
      );
      if (p) {
        found.push(p);
        continue;
      }
      const version = get ? Number(t.res!.header('x-wopi-itemversion')) : Number(jsonOf(t)?.['Version']);
      reads.push({
        reader: r,
        start: t.invoke,
        end: t.respond,
        version,
        ...(get ? { sha: sha256(t.res!.body) } : {}),
      });
    }
  };
  const readersDone = Promise.all(Array.from({ length: o.readers }, (_, r) => read(r)));
  await Promise.all(Array.from({ length: o.writers }, (_, w) => write(w)));
  writing = false;
  await readersDone;

  const ok = saves.filter((s) => s.status === 200);
  const made = new Map<number, Save>();
  for (const s of ok) {
    if (s.version === undefined) continue;
    if (made.has(s.version))
      found.push(v('version-duplicate', `two successful saves both report version ${s.version}`, 'version'));
    made.set(s.version, s);
  }
  for (const a of ok)
    for (const b of ok)
      if (a.end < b.start && a.version !== undefined && b.version !== undefined && a.version >= b.version)
        found.push(
          v(
            'version-order',
            `a save answered ${a.version} before a later save answered ${b.version}`,
            'version',
          ),
        );
  const ghosts = new Set<number>();
  for (const r of reads) {
    if (r.version !== initial && !made.has(r.version)) ghosts.add(r.version);
    const save = made.get(r.version);
    if (r.sha !== undefined && save && r.sha !== save.sha)
      found.push(
        v(
          'version-content',
          `GetFile with X-WOPI-ItemVersion ${r.version} returned other bytes than the save of that version`,
          'version',
        ),
      );
  }
  if (ghosts.size)
    found.push(
      v(
        'version-ghost',
        `reads saw versions no save made: ${[...ghosts].sort((a, b) => a - b).join(', ')} (saves made ${[...made.keys()].sort((a, b) => a - b).join(', ')}; it started at ${initial})`,
        'version',
      ),
    );
  for (const a of reads)
    for (const b of reads)
      if (a.end < b.start && a.version > b.version) {
        found.push(
          v('version-backwards', `a read saw version ${a.version}, a later read ${b.version}`, 'version'),
        );
        break;
      }
  const last = Number(jsonOf(await call(origin, f, ops.checkFileInfo(ctx.bound)))?.['Version']);
  if (last !== initial + ok.length)
    found.push(
      v(
        'version-count',
        `Version went from ${initial} to ${last} over ${ok.length} successful saves (one bump per save expected)`,
        'version',
      ),
    );
  return found;
}

/**
 * Reads racing a rename or a delete of the same file: a rename keeps the file (reads answer 200), a
 * delete may win (404), but neither is ever a 5xx.
 */
export async function readRaceStorm(ctx: StormContext, rounds: number): Promise<StormViolation[]> {
  const origin = ctx.target.run.wopiUrl;
  const found: StormViolation[] = [];
  for (let round = 0; round < rounds; round++) {
    const deleting = round % 2 === 1;
    const f = await createFile(
      origin,
      ctx.seed,
      `read-race-${round}.docx`,
      taggedBody(ctx.rng, `read race ${round}`, 64 * 1024),
      ctx.bound,
    );
    const writer = call(
      origin,
      f,
      deleting ? ops.deleteFile(ctx.bound) : ops.rename(`read-race-${round}-renamed`, '', ctx.bound),
    );
    // Spread over the few milliseconds the write takes, so some reads land inside it.
    const reads = await Promise.all(
      Array.from({ length: 16 }, async (_, k) => {
        await new Promise((r) => setTimeout(r, ctx.rng.int(0, 12)));
        const get = k % 4 !== 3;
        return { t: await call(origin, f, get ? ops.getFile(ctx.bound) : ops.checkFileInfo(ctx.bound)), get };
      }),
    );
    const w = await writer;
    const p = answerProblem(
      w,
      deleting ? 'DeleteFile racing reads' : 'RenameFile racing reads',
      [200],
      'read-race-writer',
    );
    if (p) found.push(p);
    for (const { t, get } of reads) {
      const what = `${get ? 'GetFile' : 'CheckFileInfo'} racing ${deleting ? 'DeleteFile' : 'RenameFile'}`;
      const q = answerProblem(
        t,
        what,
        deleting ? [200, 404] : [200],
        `read-race-${deleting ? 'delete' : 'rename'}`,
      );
      if (q) found.push(q);
    }
  }
  return found;
}

/**
 * A PutFile whose body stops halfway (the client holds it) must not hold up the file's other writers:
 * a rename, a second PutFile and a lock refresh are answered while it is still stalled.
 */
export async function stalledUploadProbe(ctx: StormContext): Promise<StormViolation[]> {
  const origin = ctx.target.run.wopiUrl;
  const f = await createFile(
    origin,
    ctx.seed,
    'stall-probe.docx',
    taggedBody(ctx.rng, 'stall probe', 1024),
    ctx.bound,
  );
  const lock = await call(origin, f, ops.lock('S', ctx.bound));
  const setup = answerProblem(lock, 'Lock before the probe', [200], 'stall-setup');
  if (setup) return [setup];
  let release!: () => void;
  const until = new Promise<void>((r) => (release = r));
  const stalledBody = taggedBody(ctx.rng, 'stalled upload', 256 * 1024);
  const stalled = call(
    origin,
    f,
    ops.putFile('S', stalledBody, ctx.bound, { kind: 'hold', after: 128 * 1024, until }),
  );
  // The host is receiving the body once its temp file exists next to the target.
  const deadline = Date.now() + ctx.bound;
  while (!(await readdir(ctx.target.folder)).some((n) => n.startsWith(TEMP_PREFIX)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  const found: StormViolation[] = [];
  const probes = await Promise.all([
    call(origin, f, ops.rename('stall-probe-renamed', 'S', ctx.bound)).then(
      (t) => ['RenameFile', t, [200, 409]] as const,
    ),
    call(origin, f, ops.putFile('S', taggedBody(ctx.rng, 'second upload', 512), ctx.bound)).then(
      (t) => ['PutFile', t, [200, 409]] as const,
    ),
    call(origin, f, ops.refreshLock('S', ctx.bound)).then((t) => ['RefreshLock', t, [200]] as const),
  ]);
  for (const [what, t, allowed] of probes) {
    const p = answerProblem(t, `${what} while another PutFile's body is stalled`, allowed, 'stall-blocks');
    if (p) found.push(p);
  }
  release();
  const end = await stalled;
  const p = answerProblem(end, 'the stalled PutFile once resumed', [200, 409], 'stall-resumed');
  if (p) found.push(p);
  return found;
}
