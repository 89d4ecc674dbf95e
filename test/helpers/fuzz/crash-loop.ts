// The crash loop: kill -9 `serve` while a large PutFile (or PutRelativeFile) is streaming, at a seeded
// point of the upload, with other requests in flight; restart on the same folder and data dir; check
// the file holds its old or its new bytes (never torn, the new ones if a 200 came back), the old bytes
// are kept as a version when replaced, no temp file is left, the lock and the tokens survived, and the
// host reports and serves what is on disk. Repeated N times on the same state.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileView, VersionView } from '../../../server/contracts';
import { TEMP_PREFIX } from '../../../server/storage/paths';
import { taggedBody } from './inputs';
import type { Rng } from './rng';
import type { StormViolation } from './storm-common';
import type { ServeTarget } from './target';
import { mint, sha256 } from './world';
import { call, jsonOf, ops, statusOf } from './wopi-raw';
import type { FileHandle, Timed } from './wopi-raw';

export const CRASH_LOCK = 'CRASH-LOCK';

export type KillPoint =
  'before the body' | 'mid-body' | 'right after the last byte' | 'after the 200' | 'mid PutRelativeFile';
/** Most telling first: a short loop still covers a torn body and a lost save. */
export const KILL_POINTS: readonly KillPoint[] = [
  'mid-body',
  'after the 200',
  'right after the last byte',
  'mid PutRelativeFile',
  'before the body',
];

export interface CrashFiles {
  big: FileHandle & { rel: string };
  small: FileHandle & { rel: string };
}

const v = (tag: string, message: string): StormViolation => ({ kind: 'storm', tag, message });

async function temps(folder: string): Promise<Array<{ rel: string; size: number }>> {
  const out: Array<{ rel: string; size: number }> = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else if (e.name.startsWith(TEMP_PREFIX))
        out.push({ rel: r, size: (await stat(path.join(dir, e.name)).catch(() => ({ size: 0 }))).size });
    }
  };
  await walk(folder, '');
  return out;
}

async function until(what: string, bound: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + bound;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Mints tokens for the crash files and locks both (the lock must outlive every kill). */
export async function prepareCrashFiles(
  target: ServeTarget,
  bigRel: string,
  smallRel: string,
  bound: number,
): Promise<CrashFiles> {
  const listed = JSON.parse((await target.control('GET', '/v1/files')).text) as FileView[];
  const handle = async (rel: string): Promise<FileHandle & { rel: string }> => {
    const f = listed.find((x) => x.path === rel);
    if (!f) throw new Error(`${rel} is not served`);
    return { id: f.id, token: (await mint(target, f.id)).accessToken, rel };
  };
  const files = { big: await handle(bigRel), small: await handle(smallRel) };
  for (const f of [files.big, files.small]) {
    const t = await call(target.run.wopiUrl, f, ops.lock(CRASH_LOCK, bound));
    if (statusOf(t) !== 200) throw new Error(`Lock ${f.rel} answered ${statusOf(t)}`);
  }
  return files;
}

/** One kill at `point`; returns what broke and a one-line account of the round. */
export async function crashRound(
  target: ServeTarget,
  files: CrashFiles,
  rng: Rng,
  round: number,
  point: KillPoint,
  sizeBytes: number,
  bound: number,
): Promise<{ violations: StormViolation[]; note: string }> {
  const found: StormViolation[] = [];
  const origin = target.run.wopiUrl;
  const bigAbs = path.join(target.folder, ...files.big.rel.split('/'));
  const oldSha = sha256(await readFile(bigAbs));
  const before = jsonOf(await call(origin, files.big, ops.checkFileInfo(bound)));
  const body = taggedBody(rng, `crash round ${round} (${point})`, sizeBytes);
  const newSha = sha256(body);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const relative = point === 'mid PutRelativeFile';
  const holdAt =
    point === 'before the body'
      ? 0
      : point === 'mid-body' || relative
        ? rng.int(sizeBytes / 4, (3 * sizeBytes) / 4)
        : sizeBytes;
  const delivery = holdAt < sizeBytes ? ({ kind: 'hold', after: holdAt, until: held } as const) : undefined;
  const newName = `crash-new-${round}.docx`;
  const upload: Promise<Timed> = relative
    ? call(origin, files.small, {
        ...ops.putRelativeSuggested(newName, body, bound),
        ...(delivery ? { delivery } : {}),
      })
    : call(origin, files.big, ops.putFile(CRASH_LOCK, body, bound, delivery));
  // Other requests in flight when the process dies.
  let loading = true;
  const load = (async () => {
    while (loading)
      await call(origin, files.small, rng.chance(0.5) ? ops.getLock(bound) : ops.checkFileInfo(bound));
  })();

  if (delivery) {
    // The host is receiving: its temp file exists and holds the bytes sent so far (mostly).
    await until('the upload reached the host', bound, async () =>
      (await temps(target.folder)).some((t) => t.size >= Math.min(holdAt, holdAt / 2)),
    );
  } else if (point === 'after the 200') {
    const t = await upload;
    if (statusOf(t) !== 200)
      found.push(v('crash-setup', `round ${round}: the PutFile before the kill answered ${statusOf(t)}`));
  } else {
    // Right after the last byte: the host is fsyncing, renaming or recording the version.
    await until(
      'the last byte reached the host',
      bound,
      async () =>
        (await temps(target.folder)).some((t) => t.size >= sizeBytes) ||
        (await readFile(bigAbs).then((b) => sha256(b) === newSha)),
    );
  }
  const tempsAtKill = (await temps(target.folder)).length;
  await target.kill9();
  loading = false;
  release();
  const settled = await upload;
  await load;
  await target.restart();
  const o2 = target.run.wopiUrl;

  // The bytes: old or new, never torn; new if the client saw a 200; old if the body never arrived whole.
  const disk = sha256(await readFile(bigAbs));
  const sawOk = settled.res?.status === 200;
  if (!relative) {
    if (disk !== oldSha && disk !== newSha)
      found.push(
        v(
          'crash-torn',
          `round ${round} (${point}): ${files.big.rel} holds neither its old nor its new bytes`,
        ),
      );
    if (sawOk && disk !== newSha)
      found.push(
        v(
          'crash-lost-save',
          `round ${round} (${point}): a PutFile answered 200 but its bytes did not survive the kill`,
        ),
      );
    if (delivery && disk !== oldSha)
      found.push(
        v('crash-partial-applied', `round ${round} (${point}): an upload killed mid-body changed the file`),
      );
  } else if (disk !== oldSha)
    found.push(v('crash-torn', `round ${round} (${point}): a PutRelativeFile changed its source file`));
  const leftovers = await temps(target.folder);
  if (leftovers.length)
    found.push(
      v(
        'crash-temps',
        `round ${round}: temp files survive the restart: ${leftovers.map((t) => t.rel).join(', ')}`,
      ),
    );
  if (relative) {
    // A file created by a killed PutRelativeFile is whole or absent, never a prefix of the body.
    for (const name of await readdir(path.dirname(path.join(target.folder, ...files.small.rel.split('/'))))) {
      if (!name.startsWith(`crash-new-${round}`)) continue;
      const sha = sha256(
        await readFile(
          path.join(path.dirname(path.join(target.folder, ...files.small.rel.split('/'))), name),
        ),
      );
      if (sha !== newSha)
        found.push(
          v(
            'crash-torn',
            `round ${round}: ${name}, created by a PutRelativeFile killed mid-body, holds partial bytes`,
          ),
        );
    }
  }

  // The host after the restart: same tokens, same locks, and it tells the truth about the bytes.
  for (const f of [files.big, files.small]) {
    const lock = await call(o2, f, ops.getLock(bound));
    if (lock.res?.header('x-wopi-lock') !== CRASH_LOCK)
      found.push(
        v(
          'crash-lock-lost',
          `round ${round}: after the restart GetLock on ${f.rel} answers ${statusOf(lock)} with X-WOPI-Lock ${JSON.stringify(lock.res?.header('x-wopi-lock'))}, not ${CRASH_LOCK}`,
        ),
      );
  }
  const info = await call(o2, files.big, ops.checkFileInfo(bound));
  const infoJson = jsonOf(info);
  if (statusOf(info) !== 200)
    found.push(
      v('crash-token', `round ${round}: the token minted before the kills answers ${statusOf(info)}`),
    );
  else {
    if (infoJson?.['SHA256'] !== Buffer.from(disk, 'hex').toString('base64'))
      found.push(
        v('crash-report', `round ${round}: CheckFileInfo SHA256 is not the hash of the bytes on disk`),
      );
    const changed = disk !== oldSha;
    if ((infoJson?.['Version'] !== before?.['Version']) !== changed)
      found.push(
        v(
          'crash-version',
          `round ${round}: Version ${String(before?.['Version'])} -> ${String(infoJson?.['Version'])} though the bytes ${changed ? 'changed' : 'did not change'}`,
        ),
      );
  }
  const got = await call(o2, files.big, ops.getFile(bound));
  if (!got.res || sha256(got.res.body) !== disk)
    found.push(v('crash-report', `round ${round}: GetFile does not return the bytes on disk`));
  if (disk !== oldSha) {
    const versions = JSON.parse(
      (await target.control('GET', `/v1/files/${files.big.id}/versions`)).text,
    ) as VersionView[];
    if (!versions.some((x) => x.sha256 === oldSha))
      found.push(v('crash-lost-bytes', `round ${round}: the replaced bytes are not kept as a version`));
  }
  const outcome = settled.res ? String(settled.res.status) : settled.outcome.kind;
  return {
    violations: found,
    note: `round ${round}: killed ${point} (${tempsAtKill} temp file(s), client saw ${outcome}); after restart ${relative ? 'source unchanged' : disk === newSha ? 'new bytes' : 'old bytes'}`,
  };
}
