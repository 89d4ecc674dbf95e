// The UI's control-API client is the shared one (server/contracts/client.ts), pointed at this tab's
// session; what stays here is how a failure is worded for the person.
import { ControlApiError, createControlClient, type ControlClient } from '../../server/contracts';
import type { Session } from './session';

export { ControlApiError, type ControlClient };

export function clientFor(session: Session): ControlClient {
  return createControlClient({ baseUrl: session.apiBase, token: session.token });
}

export function describeError(err: unknown): string {
  if (err instanceof ControlApiError) return err.status ? `${err.message} (${err.code})` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
