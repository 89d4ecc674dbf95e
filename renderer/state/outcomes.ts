// What a notice may say once an action returned: the outcome the host reported, never the intent.
// A start that ended "failed" is an error, a check that found the host unreachable is not a success,
// and a state this UI does not know (a status added later) is reported neutrally, as is.
import type { DiscoveryStateView, ReachabilityResult, TunnelState } from '../../server/contracts';
import type { NoticeKind, NoticeStore } from './notices';
import type { WorkspaceStore } from './workspace';

export interface Outcome {
  kind: NoticeKind;
  text: string;
}

/** Statuses that are on their way to an outcome: a notice about them must wait. */
const TUNNEL_PENDING: ReadonlySet<string> = new Set(['connecting', 'reconnecting']);

/** The outcome of a tunnel start, or null while the tunnel is still getting there. */
export function tunnelStartOutcome(state: TunnelState): Outcome | null {
  // A string, not the union: the host may report a status newer than this UI.
  const status: string = state.status;
  if (TUNNEL_PENDING.has(status)) return null;
  const at = state.publicUrl ? ` at ${state.publicUrl}` : '';
  switch (status) {
    case 'online':
      return { kind: 'success', text: `Tunnel online${at}` };
    case 'failed':
      return { kind: 'error', text: `Tunnel failed${state.error ? `: ${state.error}` : ''}` };
    case 'off':
      return { kind: 'info', text: 'The tunnel is off' };
    case 'dropped':
      return { kind: 'error', text: `Tunnel dropped${state.error ? `: ${state.error}` : ''}` };
    case 'unverified':
      // Set, but no check has met this workbench behind it yet: not a success.
      return {
        kind: 'info',
        text: `Public URL set${at}, not verified yet${state.error ? `: ${state.error}` : ' (run Check)'}`,
      };
    default:
      return { kind: 'info', text: `Tunnel ${status}${at}` };
  }
}

export function tunnelStopOutcome(state: TunnelState): Outcome {
  return state.status === 'off'
    ? { kind: 'success', text: 'Tunnel stopped' }
    : { kind: 'info', text: `The tunnel is ${state.status}` };
}

export function reachabilityOutcome(result: ReachabilityResult): Outcome {
  if (result.ok)
    return {
      kind: 'success',
      text: `Reachable: ${result.hops.length} of ${result.hops.length} checks passed`,
    };
  const failed = result.hops.find((hop) => !hop.ok);
  return {
    kind: 'error',
    text: failed ? `Not reachable: ${failed.name}: ${failed.detail}` : 'Not reachable',
  };
}

export function discoveryRefreshOutcome(state: DiscoveryStateView): Outcome {
  switch (state.status) {
    case 'ok':
      return {
        kind: 'success',
        text: `Discovery refreshed: ${state.actions.length} actions from ${state.profile}`,
      };
    case 'failed':
      return { kind: 'error', text: `Discovery refresh failed${state.error ? `: ${state.error}` : ''}` };
    default:
      return { kind: 'info', text: `Discovery: ${String(state.status)}` };
  }
}

/** How long a start notice follows a tunnel that is still connecting before it says so and stops. */
export const TUNNEL_FOLLOW_MS = 60_000;

/**
 * Settle the notice `id` with the tunnel start's outcome: at once when `state` has one, else when a
 * later state (tunnel:changed) does. Returns a function that stops following.
 */
export function settleTunnelStart(
  notices: NoticeStore,
  workspace: WorkspaceStore,
  id: number,
  state: TunnelState,
  timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = globalThis,
): () => void {
  const now = tunnelStartOutcome(state);
  if (now) {
    notices.settle(id, now.kind, now.text);
    return () => {};
  }
  let last = state;
  const stop = () => {
    unsubscribe();
    timers.clearTimeout(timer);
  };
  const unsubscribe = workspace.subscribe(() => {
    const tunnel = workspace.get().tunnel;
    if (!tunnel || tunnel === last) return;
    last = tunnel;
    const outcome = tunnelStartOutcome(tunnel);
    if (!outcome) return;
    stop();
    notices.settle(id, outcome.kind, outcome.text);
  });
  const timer = timers.setTimeout(() => {
    stop();
    notices.settle(id, 'info', `The tunnel is still ${last.status}; its state is in Tunnel`);
  }, TUNNEL_FOLLOW_MS);
  return stop;
}
