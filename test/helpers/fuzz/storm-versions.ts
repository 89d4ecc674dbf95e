// The Version storm: saves under concurrent CheckFileInfo and GetFile. Version only moves forward, once
// per successful save; no read shows a version no save made, and GetFile's X-WOPI-ItemVersion names
// the save whose bytes it returns.
import { taggedBody } from './inputs';
import { answerProblem, v } from './storm-common';
import type { StormContext, StormViolation } from './storm-common';
import { sha256 } from './world';
import { call, createFile, jsonOf, ops, statusOf } from './wopi-raw';

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
    const sha = save?.sha ?? (r.version === initial ? sha256(initialBody) : undefined);
    if (r.sha !== undefined && sha !== undefined && r.sha !== sha)
      found.push(
        v(
          'version-content',
          `GetFile with X-WOPI-ItemVersion ${r.version} returned other bytes than ${save ? 'the save of that version' : 'the file held before the storm'}`,
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
