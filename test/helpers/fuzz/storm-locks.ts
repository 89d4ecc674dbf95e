// Lock storms: concurrent Lock / Unlock / RefreshLock / UnlockAndRelock / GetLock / PutFile with a few
// lock ids on one file, in rounds; each round's history must be linearizable against the WOPI lock table.
import { taggedBody } from './inputs';
import { describeOp, linearize } from './lin-check';
import type { HistoryEntry, LockOp, LockState } from './lin-check';
import type { Rng } from './rng';
import { answerProblem, v } from './storm-common';
import type { StormContext, StormViolation } from './storm-common';
import { call, createFile, ops } from './wopi-raw';

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
          const p = answerProblem(t, describeOp(op), [200, 409], 'lock-storm');
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
