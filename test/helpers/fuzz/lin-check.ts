// A linearizability check for the WOPI lock table (Wing & Gong's search, with Lowe's memo): given
// concurrent lock operations with their real-time invocation and response, find one sequential order,
// consistent with real time, in which a simple model of the table (one lock id or none) gives every
// response exactly as the host gave it. Small histories only (tens of operations per round).

export type LockOp =
  | { kind: 'Lock'; id: string }
  | { kind: 'Unlock'; id: string }
  | { kind: 'RefreshLock'; id: string }
  | { kind: 'UnlockAndRelock'; old: string; id: string }
  | { kind: 'GetLock' }
  /** A write (PutFile) carrying `id`: allowed only while the file holds exactly that lock. */
  | { kind: 'PutFile'; id: string };

export interface HistoryEntry {
  op: LockOp;
  /** Milliseconds, same clock for all entries. */
  invoke: number;
  respond: number;
  status: number;
  /** X-WOPI-Lock of the response, when it had one. */
  lock?: string;
  client?: number;
}

export type LockState = string | null;

/** What the model answers to `op` in `state`, and the state after it. */
export function model(state: LockState, op: LockOp): { status: number; lock?: string; next: LockState } {
  const conflict = { status: 409, lock: state ?? '', next: state };
  switch (op.kind) {
    case 'Lock':
      return state === null || state === op.id ? { status: 200, next: op.id } : conflict;
    case 'Unlock':
      return state === op.id ? { status: 200, next: null } : conflict;
    case 'RefreshLock':
      return state === op.id ? { status: 200, next: state } : conflict;
    case 'UnlockAndRelock':
      return state === op.old ? { status: 200, next: op.id } : conflict;
    case 'GetLock':
      return { status: 200, lock: state ?? '', next: state };
    case 'PutFile':
      // The file is not empty, so an unlocked PutFile is refused too.
      return state === op.id ? { status: 200, next: state } : conflict;
  }
}

/** True when the host's response is the model's: status, and the lock id where the response carries one. */
function agrees(e: HistoryEntry, m: { status: number; lock?: string }): boolean {
  if (e.status !== m.status) return false;
  if (m.lock !== undefined) return e.lock === m.lock;
  return true;
}

export type LinResult = { ok: true; finals: Set<LockState> } | { ok: false; explanation: string };

export function describeOp(op: LockOp): string {
  switch (op.kind) {
    case 'UnlockAndRelock':
      return `UnlockAndRelock(${op.old} -> ${op.id})`;
    case 'GetLock':
      return 'GetLock';
    default:
      return `${op.kind}(${op.id})`;
  }
}

export function describeHistory(h: readonly HistoryEntry[]): string {
  const t0 = Math.min(...h.map((e) => e.invoke));
  return [...h]
    .sort((a, b) => a.invoke - b.invoke)
    .map(
      (e) =>
        `  [${(e.invoke - t0).toFixed(1)}, ${(e.respond - t0).toFixed(1)}] ms${e.client !== undefined ? ` client ${e.client}` : ''} ` +
        `${describeOp(e.op)} -> ${e.status}${e.lock !== undefined ? ` X-WOPI-Lock ${JSON.stringify(e.lock)}` : ''}`,
    )
    .join('\n');
}

/**
 * Searches for a linearization from any of `initial` states. On success returns every state a valid
 * linearization can end in (the next round starts from those).
 */
export function linearize(history: readonly HistoryEntry[], initial: Iterable<LockState>): LinResult {
  const ops = [...history].sort((a, b) => a.invoke - b.invoke);
  const n = ops.length;
  if (n > 200) throw new Error(`history of ${n} operations is too long for this checker; check it in rounds`);
  const finals = new Set<LockState>();
  const seen = new Set<string>();
  let deepest = 0;

  const search = (done: bigint, count: number, state: LockState): void => {
    const key = `${done.toString(36)}|${state ?? '\u0000'}`;
    if (seen.has(key)) return;
    seen.add(key);
    deepest = Math.max(deepest, count);
    if (count === n) {
      finals.add(state);
      return;
    }
    // An operation may go next only if no pending operation had already responded before it began.
    let minRespond = Infinity;
    for (let i = 0; i < n; i++)
      if (!(done & (1n << BigInt(i)))) minRespond = Math.min(minRespond, ops[i]!.respond);
    for (let i = 0; i < n; i++) {
      const bit = 1n << BigInt(i);
      if (done & bit) continue;
      const e = ops[i]!;
      if (e.invoke > minRespond) break; // sorted by invoke: none after this can go first either
      const m = model(state, e.op);
      if (agrees(e, m)) search(done | bit, count + 1, m.next);
    }
  };

  for (const s of initial) search(0n, 0, s);
  if (finals.size > 0) return { ok: true, finals };
  return {
    ok: false,
    explanation:
      `no order of these ${n} lock operations consistent with real time explains every response ` +
      `(at best ${deepest} of them):\n${describeHistory(ops)}`,
  };
}
