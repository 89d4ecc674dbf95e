// What the console says about the tunnel: never more than the state knows. A public URL is "online"
// only once traffic is known to reach this workbench; a failure says why and what to do.
import type { TunnelState } from '../contracts/api';

function failureAdvice(t: TunnelState): string {
  const flags =
    t.provider === 'localtunnel' ? '--tunnel-server and --subdomain (or use --public-url)' : '--public-url';
  return `check ${flags} and restart, or start the tunnel from the inspector's Tunnel view`;
}

const CHECK_AGAIN = "the inspector's Tunnel view checks again, as does POST /v1/tunnel/check";

/** One console line for a tunnel state change after the ready block. */
export function tunnelLine(t: TunnelState): string {
  const url = t.publicUrl ? ` ${t.publicUrl}` : '';
  switch (t.status) {
    case 'failed':
      return `Tunnel failed — ${t.error ?? 'no reason given'}; ${failureAdvice(t)}.`;
    case 'unverified':
      return t.error
        ? `Public URL unverified — ${t.error} (${CHECK_AGAIN}).`
        : `Public URL${url} unverified — checking that it reaches this workbench…`;
    case 'online':
      return t.provider === 'public-url'
        ? `Public URL${url} online — checked: it reaches this workbench.`
        : `Tunnel online${url}`;
    default:
      return `Tunnel ${t.status}${url}${t.error ? ` — ${t.error}` : ''}`;
  }
}

/**
 * The ready block's "Public URL" line (and any lines under it, indented to line up), given the URL
 * links carry, the local WOPI URL and the tunnel state when a tunnel or public URL was asked for.
 */
export function publicUrlLines(publicUrl: string, wopiUrl: string, t: TunnelState | null): string[] {
  const label = '  Public URL:  ';
  const indent = ' '.repeat(label.length);
  if (!t || t.provider === 'none' || t.status === 'off') {
    // Same as the local URL: nothing outside this machine can reach it yet; say how to fix that.
    const note = publicUrl === wopiUrl ? '  (local only: --tunnel or --public-url publishes it)' : '';
    return [`${label}${publicUrl}${note}`];
  }
  if (t.status === 'failed') {
    const what = t.provider === 'public-url' ? 'the public URL' : 'the tunnel';
    return [
      `${label}none — ${what} failed: ${t.error ?? 'no reason given'}`,
      `${indent}Links use the local URL ${wopiUrl}, which nothing outside this machine reaches;`,
      `${indent}${failureAdvice(t)}.`,
    ];
  }
  if (t.status === 'unverified') {
    return [
      t.error
        ? `${label}${publicUrl}  (unverified: ${t.error})`
        : `${label}${publicUrl}  (unverified: checking that it reaches this workbench…)`,
    ];
  }
  const status = t.provider === 'public-url' && t.status === 'online' ? 'checked' : `tunnel ${t.status}`;
  return [`${label}${publicUrl}  (${status})`];
}
