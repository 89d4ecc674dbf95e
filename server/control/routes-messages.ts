// PostMessage history: the host page's messages of this run, newest HOST_MESSAGE_HISTORY kept, so the
// inspector can show what happened before it was opened and continue live from the event stream.
import { HOST_MESSAGE_HISTORY } from '../contracts/control';
import type { HostMessageHistory } from '../contracts/control';
import { createHostMessageRing } from './host-message-ring';
import type { ControlDeps, RouteTable } from './router';
import { queryInt } from './validate';

type MessageRoutes = Pick<RouteTable, 'hostMessages'>;

export function messageRoutes({ engine }: ControlDeps, capacity = HOST_MESSAGE_HISTORY): MessageRoutes {
  // Subscribed now, before start: every message of the run passes through the bus after this.
  const ring = createHostMessageRing(engine.bus, capacity);
  return {
    hostMessages: async ({ url }) => {
      const limit = queryInt(url.searchParams, 'limit', 1, capacity) ?? capacity;
      // Read together, in one turn: no message can land between the list and the seq.
      const body: HostMessageHistory = {
        // Redacted by the handler, like every answer.
        items: ring.list(limit),
        lastSeq: engine.bus.lastSeq(),
        dropped: ring.dropped(),
      };
      return { body };
    },
  };
}
