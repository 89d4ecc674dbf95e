// PostMessage traffic between host pages and WOPI client frames (hostpage:message events), bounded like
// the request log: queued, applied in chunks on a frame or timer, capped, oldest evicted first.
// There is no history endpoint, so the list holds what arrived since this page opened.
import type { HostPageMessage } from '../../server/contracts';
import { FlushScheduler, type SchedulerEnv } from './flush-scheduler';
import { Store } from './store';

export const MESSAGE_CAP = 5_000;
const CHUNK = 1_000;

export interface HostMessage extends HostPageMessage {
  /** Local, unique for this page: event seqs start over when the engine restarts. */
  key: number;
}

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
  /** Rows removed from the front of `visible`, negative (see RequestLogState.frontOffset). */
  frontOffset: number;
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
    });
    this.scheduler = new FlushScheduler(() => this.flush(), { timerMs: 250, minGapMs: 100, env });
  }

  enqueue(message: HostPageMessage): void {
    this.queue.push({ ...message, key: this.nextKey++ });
    const over = this.queue.length - this.cap;
    if (over > 0) {
      this.queue.splice(0, over);
      this.dropped += over;
    }
    this.scheduler.schedule();
  }

  clear(): void {
    this.queue = [];
    this.dropped = 0;
    this.scheduler.cancel();
    this.rows = [];
    this.visible = [];
    this.commit({ evicted: 0 });
  }

  setFilter(filter: HostMessageFilter): void {
    this.state = { ...this.state, filter };
    this.visible = isMessageFilterActive(filter) ? this.rows.filter(matchMessage(filter)) : this.rows.slice();
    this.commit({});
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
    let evicted = this.dropped;
    this.dropped = 0;
    const excess = this.rows.length - this.cap;
    if (excess > 0) {
      const oldestKept = this.rows[excess];
      this.rows.splice(0, excess);
      evicted += excess;
      // Both lists are in arrival order, so the evicted visible rows are those before the oldest kept.
      let drop = 0;
      while (drop < this.visible.length && oldestKept && this.visible[drop]!.key < oldestKept.key) drop++;
      if (drop > 0) {
        this.visible.splice(0, drop);
        this.frontOffset -= drop;
      }
    }
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
