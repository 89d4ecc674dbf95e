// PostMessage traffic between host pages and WOPI client frames (hostpage:message events), bounded like
// the request log: queued, applied in chunks on a frame or timer, capped, oldest evicted first.
// Live events and the host's history (GET /v1/hostpage/messages) meet here, merged by event seq: a
// message both sources bring is kept once, and the list stays in seq order.
import type { EventEnvelope, HostMessageHistory, HostPageMessage } from '../../server/contracts';
import { FlushScheduler, type SchedulerEnv } from './flush-scheduler';
import { Store } from './store';

export const MESSAGE_CAP = 5_000;
const CHUNK = 1_000;

export type HostMessageEvent = EventEnvelope<'hostpage:message'>;

export interface HostMessage extends HostPageMessage {
  /** Local, unique for this page: event seqs start over when the engine restarts. */
  key: number;
  /** The event's seq in its engine run. */
  seq: number;
  /** Which engine run (counted by this page) the seq belongs to. */
  run: number;
}

export type HistoryState = 'idle' | 'loading' | 'loaded' | 'failed';

export type DirectionFilter = '' | HostPageMessage['direction'];

export interface HostMessageFilter {
  fileId: string;
  sessionId: string;
  direction: DirectionFilter;
  /** Words over the message id and its values. */
  text: string;
}

export const EMPTY_MESSAGE_FILTER: HostMessageFilter = { fileId: '', sessionId: '', direction: '', text: '' };

export interface HostMessageState {
  /** Oldest first. Mutated in place; `version` changes on every apply. */
  rows: readonly HostMessage[];
  visible: readonly HostMessage[];
  version: number;
  filter: HostMessageFilter;
  /** Messages dropped by the cap since the last clear. */
  evicted: number;
  /** Rows added at (+) or removed from (-) the front of `visible` (see RequestLogState.frontOffset). */
  frontOffset: number;
  /** The host's history of this run: asked for when the view opens. */
  history: HistoryState;
  /** Histories merged so far (each opening of the view reads one). */
  historyReads: number;
  /** Messages of this run the host no longer kept when its history was read. */
  hostDropped: number;
  /** Wall-clock ms of the last local clear, so an empty list can say it was cleared (not that nothing came). */
  clearedAt: number | null;
}

export function isMessageFilterActive(filter: HostMessageFilter): boolean {
  return Boolean(filter.fileId || filter.sessionId || filter.direction || filter.text.trim());
}

const haystacks = new WeakMap<HostMessage, string>();

function haystack(message: HostMessage): string {
  let text = haystacks.get(message);
  if (text === undefined) {
    text = `${message.messageId}\n${JSON.stringify(message.values)}`.toLowerCase();
    haystacks.set(message, text);
  }
  return text;
}

export function matchMessage(filter: HostMessageFilter): (message: HostMessage) => boolean {
  const terms = filter.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const { fileId, sessionId, direction } = filter;
  return (message) => {
    if (fileId && message.fileId !== fileId) return false;
    if (sessionId && message.sessionId !== sessionId) return false;
    if (direction && message.direction !== direction) return false;
    if (terms.length === 0) return true;
    const text = haystack(message);
    return terms.every((term) => text.includes(term));
  };
}

export class HostMessageStore extends Store<HostMessageState> {
  private rows: HostMessage[] = [];
  private visible: HostMessage[] = [];
  private queue: HostMessage[] = [];
  private nextKey = 1;
  /** Queued messages dropped before they were shown (a burst larger than the cap). */
  private dropped = 0;
  private frontOffset = 0;
  private run = 1;
  /** Seqs of this run held in rows or queue: what makes a message from both sources count once. */
  private seqs = new Set<number>();
  /** Seqs of this run up to here left the list on purpose (cleared, evicted): history must not bring them back. */
  private floor = 0;
  /** Highest seq of this run seen, from either source. */
  private lastSeq = 0;
  private readonly scheduler: FlushScheduler;

  constructor(
    private readonly cap = MESSAGE_CAP,
    env?: SchedulerEnv,
  ) {
    super({
      rows: [],
      visible: [],
      version: 0,
      filter: EMPTY_MESSAGE_FILTER,
      evicted: 0,
      frontOffset: 0,
      history: 'idle',
      historyReads: 0,
      hostDropped: 0,
      clearedAt: null,
    });
    this.scheduler = new FlushScheduler(() => this.flush(), { timerMs: 250, minGapMs: 100, env });
  }

  /** The run seqs belong to; a history read under another run is stale. */
  get currentRun(): number {
    return this.run;
  }

  enqueue(event: HostMessageEvent): void {
    if (!this.take(event.seq)) return;
    this.queue.push(this.toRow(event));
    const over = this.queue.length - this.cap;
    if (over > 0) {
      for (const gone of this.queue.splice(0, over)) this.forget(gone);
      this.dropped += over;
    }
    this.scheduler.schedule();
  }

  /**
   * Merge the host's history. Its messages are older than or the same as what the stream brought since
   * (the stream resumed from a seq read before this history was asked for), so rows are re-sorted by
   * seq once, with any queued live rows, rather than appended.
   */
  addHistory(history: HostMessageHistory, run: number): void {
    if (run !== this.run) return;
    const fresh = history.items.filter((event) => this.take(event.seq)).map((event) => this.toRow(event));
    const read = {
      history: 'loaded' as const,
      historyReads: this.state.historyReads + 1,
      hostDropped: history.dropped,
    };
    if (fresh.length === 0) {
      this.update(read);
      return;
    }
    const firstVisible = this.visible[0];
    // Rows of earlier runs stay first; this run's rows are the tail.
    let start = this.rows.length;
    while (start > 0 && this.rows[start - 1]!.run === this.run) start--;
    // Queued rows may still be an earlier run's (a restart just happened): runs first, then seqs.
    const tail = this.rows.slice(start).concat(this.queue.splice(0), fresh);
    tail.sort((a, b) => a.run - b.run || a.seq - b.seq);
    this.rows = this.rows.slice(0, start).concat(tail);
    const evicted = this.dropped + this.evictOverCap().length;
    this.dropped = 0;
    this.visible = isMessageFilterActive(this.state.filter)
      ? this.rows.filter(matchMessage(this.state.filter))
      : this.rows.slice();
    // Keep the rows under the reader's eyes: count what landed in front of the first one shown.
    const at = firstVisible ? this.visible.indexOf(firstVisible) : -1;
    if (at > 0) this.frontOffset += at;
    this.scheduler.cancel();
    this.commit({ ...read, evicted: this.state.evicted + evicted });
  }

  setHistoryState(history: HistoryState): void {
    this.update({ history });
  }

  /** The engine restarted: its seqs start over, so the rows kept so far are another run's. */
  newRun(): void {
    this.run += 1;
    this.seqs.clear();
    this.floor = 0;
    this.lastSeq = 0;
    this.update({ history: 'idle', hostDropped: 0 });
  }

  /** Empty this list, here only: the host keeps its history for other inspectors. */
  clear(at = Date.now()): void {
    this.queue = [];
    this.dropped = 0;
    this.scheduler.cancel();
    this.rows = [];
    this.visible = [];
    this.seqs.clear();
    // Everything seen so far stays cleared, even when the history is read again.
    this.floor = this.lastSeq;
    this.commit({ evicted: 0, clearedAt: at });
  }

  setFilter(filter: HostMessageFilter): void {
    this.state = { ...this.state, filter };
    this.visible = isMessageFilterActive(filter) ? this.rows.filter(matchMessage(filter)) : this.rows.slice();
    this.commit({});
  }

  /** Claim a seq of this run; false when the list has (or had, on purpose) that message already. */
  private take(seq: number): boolean {
    if (seq <= this.floor || this.seqs.has(seq)) return false;
    this.seqs.add(seq);
    if (seq > this.lastSeq) this.lastSeq = seq;
    return true;
  }

  private forget(row: HostMessage): void {
    if (row.run !== this.run) return;
    this.seqs.delete(row.seq);
    if (row.seq > this.floor) this.floor = row.seq;
  }

  private toRow(event: HostMessageEvent): HostMessage {
    return { ...event.data, key: this.nextKey++, seq: event.seq, run: this.run };
  }

  /** Drop the oldest rows past the cap; returns them. */
  private evictOverCap(): HostMessage[] {
    const excess = this.rows.length - this.cap;
    if (excess <= 0) return [];
    const gone = this.rows.splice(0, excess);
    for (const row of gone) this.forget(row);
    return gone;
  }

  private flush(): void {
    const batch = this.queue.splice(0, CHUNK);
    if (batch.length === 0) return;
    const active = isMessageFilterActive(this.state.filter);
    const matches = matchMessage(this.state.filter);
    for (const message of batch) {
      this.rows.push(message);
      if (!active || matches(message)) this.visible.push(message);
    }
    const gone = this.evictOverCap();
    if (gone.length > 0) {
      // `visible` keeps the order of `rows`, so the evicted rows it shows are its first ones.
      const evictedRows = new Set(gone);
      let drop = 0;
      while (drop < this.visible.length && evictedRows.has(this.visible[drop]!)) drop++;
      if (drop > 0) {
        this.visible.splice(0, drop);
        this.frontOffset -= drop;
      }
    }
    const evicted = this.dropped + gone.length;
    this.dropped = 0;
    this.commit({ evicted: this.state.evicted + evicted });
    if (this.queue.length > 0) this.scheduler.schedule();
  }

  private commit(patch: Partial<HostMessageState>): void {
    this.set({
      ...this.state,
      ...patch,
      rows: this.rows,
      visible: this.visible,
      frontOffset: this.frontOffset,
      version: this.state.version + 1,
    });
  }
}
