// The shell drives the engine through the same control API as the UI and the CLI (HTTP + token, the
// shared client of server/contracts), not through engine internals: so the tray works unchanged if
// the engine moves to another process.
import { createControlClient, type ControlClient } from '../server/contracts';

export interface ControlEndpoint {
  controlUrl: string;
  controlToken: string;
}

/** A tray action never waits on a hung engine for long: no answer in this time is a 'network' failure. */
export const CONTROL_CALL_TIMEOUT_MS = 30_000;

export function controlClientFor(ep: ControlEndpoint): ControlClient {
  return createControlClient({
    baseUrl: ep.controlUrl,
    token: ep.controlToken,
    timeoutMs: CONTROL_CALL_TIMEOUT_MS,
  });
}
