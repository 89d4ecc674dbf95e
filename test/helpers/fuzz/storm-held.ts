// Probes with a held body: the client sends half an upload and keeps the rest until the probe has done
// something else to the file. A stalled PutFile must not hold up the file's other writers; a
// PutRelativeFile overwriting a target that is renamed or deleted meanwhile must still answer properly.
import path from 'node:path';
import { TEMP_PREFIX } from '../../../server/storage/paths';
import { taggedBody } from './inputs';
import { answerProblem, v, walk } from './storm-common';
import type { StormContext, StormViolation } from './storm-common';
import { utf7Header } from './inputs';
import { call, createFile, ops } from './wopi-raw';

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
  await receiving(ctx);
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

/** The host's temp files in the served folder (a body it is receiving, or one it left behind). */
async function temps(ctx: StormContext): Promise<string[]> {
  return (await walk(ctx.target.folder)).filter((p) => path.posix.basename(p).startsWith(TEMP_PREFIX));
}

/** Waits (bounded) until the host has a new temp file open next to the target: it is receiving the body. */
async function receiving(ctx: StormContext, earlier: ReadonlySet<string> = new Set()): Promise<void> {
  const deadline = Date.now() + ctx.bound;
  while (!(await temps(ctx)).some((p) => !earlier.has(p)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
}

/**
 * PutRelativeFile with X-WOPI-OverwriteRelativeTarget onto an existing file, whose body is held while
 * the target is renamed (or deleted): the answer is a 200 or a 409, never a 5xx, and no temp file stays.
 */
export async function overwriteRaceProbe(ctx: StormContext, rounds: number): Promise<StormViolation[]> {
  const origin = ctx.target.run.wopiUrl;
  const found: StormViolation[] = [];
  for (let round = 0; round < rounds; round++) {
    const deleting = round % 2 === 1;
    const name = `overwrite-race-${round}.docx`;
    const earlier = new Set(await temps(ctx));
    const target = await createFile(
      origin,
      ctx.seed,
      name,
      taggedBody(ctx.rng, `overwrite target ${round}`, 512),
      ctx.bound,
    );
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    const body = taggedBody(ctx.rng, `overwrite race ${round}`, 128 * 1024);
    const overwrite = call(origin, ctx.seed, {
      headers: [
        ['X-WOPI-Override', 'PUT_RELATIVE'],
        ['X-WOPI-RelativeTarget', utf7Header(target.name)],
        ['X-WOPI-OverwriteRelativeTarget', 'True'],
      ],
      body,
      delivery: { kind: 'hold', after: 64 * 1024, until },
      answerWithinMs: ctx.bound,
    });
    await receiving(ctx, earlier);
    const change = await call(
      origin,
      target,
      deleting ? ops.deleteFile(ctx.bound) : ops.rename(`overwrite-race-${round}-moved`, '', ctx.bound),
    );
    const p = answerProblem(
      change,
      deleting ? 'DeleteFile of the target' : 'RenameFile of the target',
      [200],
      'overwrite-setup',
    );
    if (p) found.push(p);
    release();
    const t = await overwrite;
    const q = answerProblem(
      t,
      `PutRelativeFile overwriting a target ${deleting ? 'deleted' : 'renamed'} during its upload`,
      [200, 409],
      'overwrite-race',
    );
    if (q) found.push(q);
    const left = (await temps(ctx)).filter((p) => !earlier.has(p));
    if (left.length)
      found.push(
        v(
          'overwrite-race-temps',
          `round ${round}: temp files stay after the PutRelativeFile answered: ${left.join(', ')}`,
          'temp-files',
        ),
      );
  }
  return found;
}
