// The newest hostpage:message events of this run, for GET /v1/hostpage/messages: an inspector opened
// after a launch still sees how the launch went. A fixed-size ring (HOST_MESSAGE_HISTORY), apart from the
// bus backlog, so a burst of request events cannot push the PostMessages out.
import type { EventEnvelope } from '../contracts/events';
import type { EventBus } from '../events/bus';

export interface HostMessageRing {
  /** The newest `limit` messages, oldest first. */
  list(limit: number): EventEnvelope<'hostpage:message'>[];
  /** Messages overwritten since the run started. */
  dropped(): number;
}

export function createHostMessageRing(bus: EventBus, capacity: number): HostMessageRing {
  const slots: (EventEnvelope<'hostpage:message'> | undefined)[] = new Array<undefined>(capacity);
  let written = 0;
  // Never unsubscribed: the ring lives as long as the engine's bus.
  bus.on('hostpage:message', (env) => {
    slots[written % capacity] = env;
    written += 1;
  });
  return {
    list(limit) {
      const count = Math.min(limit, written, capacity);
      const out: EventEnvelope<'hostpage:message'>[] = [];
      for (let i = written - count; i < written; i++) out.push(slots[i % capacity]!);
      return out;
    },
    dropped: () => Math.max(0, written - capacity),
  };
}
