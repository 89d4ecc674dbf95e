// Rename storms (one file, 4–16 concurrent renames, readers alongside) and reads racing a rename or a
// delete: each answer must be one the protocol allows, and the file must end up once, where the host says.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileView } from '../../../server/contracts';
import { TEMP_PREFIX } from '../../../server/storage/paths';
import { taggedBody } from './inputs';
import { answerProblem, v, walk } from './storm-common';
import type { StormContext, StormViolation } from './storm-common';
import { sha256 } from './world';
import { call, createFile, jsonOf, ops } from './wopi-raw';
import type { FileHandle } from './wopi-raw';

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
