// Health of the live event stream, for the status bar.
import type { ConnectionInfo } from '../api/event-stream';
import { Store } from './store';

export class ConnectionStore extends Store<ConnectionInfo> {
  constructor() {
    super({ state: 'connecting' });
  }

  setInfo(info: ConnectionInfo): void {
    this.set(info);
  }
}
