// Typed event bus with a strictly increasing seq and a bounded backlog, so SSE clients
// can resume after a disconnect without gaps (or learn that they must refetch).
import type { AnyEventEnvelope, EventEnvelope, EventMap, EventType } from '../contracts/events';

type Listener<K extends EventType> = (event: EventEnvelope<K>) => void;
type AnyListener = (event: AnyEventEnvelope) => void;

export interface EventBus {
  emit<K extends EventType>(type: K, data: EventMap[K]): EventEnvelope<K>;
  on<K extends EventType>(type: K, listener: Listener<K>): () => void;
  onAny(listener: AnyListener): () => void;
  /** Events after `seq`, or null when the backlog no longer reaches back that far. */
  since(seq: number): AnyEventEnvelope[] | null;
  lastSeq(): number;
}

export function createEventBus(opts: {
  now: () => number;
  backlog?: number;
  onListenerError?: (e: unknown) => void;
}): EventBus {
  const cap = opts.backlog ?? 5000;
  const backlog: AnyEventEnvelope[] = [];
  const typed = new Map<EventType, Set<(e: AnyEventEnvelope) => void>>();
  const any = new Set<AnyListener>();
  let seq = 0;

  const deliver = (fn: (e: AnyEventEnvelope) => void, env: AnyEventEnvelope): void => {
    // A broken subscriber must never break the request that emitted the event.
    try {
      fn(env);
    } catch (e) {
      opts.onListenerError?.(e);
    }
  };

  return {
    emit(type, data) {
      seq += 1;
      const env = { seq, type, at: opts.now(), data } as EventEnvelope<typeof type>;
      const anyEnv = env as unknown as AnyEventEnvelope;
      backlog.push(anyEnv);
      if (backlog.length > cap) backlog.splice(0, backlog.length - cap);
      for (const fn of typed.get(type) ?? []) deliver(fn, anyEnv);
      for (const fn of any) deliver(fn, anyEnv);
      return env;
    },
    on(type, listener) {
      const set = typed.get(type) ?? new Set();
      typed.set(type, set);
      const fn = listener as unknown as (e: AnyEventEnvelope) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
    since(after) {
      if (after >= seq) return [];
      const first = backlog[0];
      if (!first || first.seq > after + 1) return null;
      return backlog.filter((e) => e.seq > after);
    },
    lastSeq: () => seq,
  };
}
