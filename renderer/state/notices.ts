// Short-lived notices for action outcomes ("Lock expired", "Copied WOPISrc", errors). A notice for work
// whose outcome is not known yet is sticky and neutral ("Starting tunnel…"), and is settled in place
// by the outcome: a notice never claims more than is known.
import { Store } from './store';

export type NoticeKind = 'info' | 'success' | 'error';

/** One button on a notice, e.g. "Undo" after a lock-lab action. */
export interface NoticeAction {
  label: string;
  run: () => void;
}

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
  action?: NoticeAction;
}

export interface NoticeOptions {
  /** Stays until settled or dismissed: for work whose outcome is not known yet. */
  sticky?: boolean;
  action?: NoticeAction;
}

const LIFETIME_MS: Record<NoticeKind, number> = { info: 3_000, success: 3_000, error: 7_000 };
/** Long enough to read the notice and reach its button. */
const ACTION_LIFETIME_MS = 8_000;
const MAX_NOTICES = 4;

export class NoticeStore extends Store<readonly Notice[]> {
  private nextId = 1;

  constructor() {
    super([]);
  }

  /** Returns the notice's id; a sticky one stays until settled or dismissed. */
  push(kind: NoticeKind, text: string, options: NoticeOptions = {}): number {
    const notice: Notice = { id: this.nextId++, kind, text };
    if (options.action) notice.action = options.action;
    this.set([...this.state, notice].slice(-MAX_NOTICES));
    if (!options.sticky) this.expire(notice.id, options.action ? ACTION_LIFETIME_MS : LIFETIME_MS[kind]);
    return notice.id;
  }

  /** Replace a notice by the outcome it was waiting for (a new one if it was dismissed meanwhile). */
  settle(id: number, kind: NoticeKind, text: string): void {
    if (!this.state.some((notice) => notice.id === id)) {
      this.push(kind, text);
      return;
    }
    this.set(this.state.map((notice) => (notice.id === id ? { id, kind, text } : notice)));
    this.expire(id, LIFETIME_MS[kind]);
  }

  dismiss(id: number): void {
    this.set(this.state.filter((notice) => notice.id !== id));
  }

  private expire(id: number, ms: number): void {
    setTimeout(() => this.dismiss(id), ms);
  }
}
