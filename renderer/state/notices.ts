// Short-lived notices for action outcomes ("Lock expired", "Copied WOPISrc", errors).
import { Store } from './store';

export type NoticeKind = 'info' | 'success' | 'error';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

const LIFETIME_MS: Record<NoticeKind, number> = { info: 3_000, success: 3_000, error: 7_000 };
const MAX_NOTICES = 4;

export class NoticeStore extends Store<readonly Notice[]> {
  private nextId = 1;

  constructor() {
    super([]);
  }

  push(kind: NoticeKind, text: string): void {
    const notice = { id: this.nextId++, kind, text };
    this.set([...this.state, notice].slice(-MAX_NOTICES));
    setTimeout(() => this.dismiss(notice.id), LIFETIME_MS[kind]);
  }

  dismiss(id: number): void {
    this.set(this.state.filter((notice) => notice.id !== id));
  }
}
