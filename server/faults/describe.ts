// One-line descriptions of a rule's effect: the default rule name, and the summary a touched request's
// record carries ('answered 503, Retry-After: 30'), so the log says what was injected.
import type { FaultEffect, FaultMatch } from '../contracts/lab';

const rate = (bps: number): string =>
  bps >= 1024 * 1024
    ? `${(bps / 1024 / 1024).toFixed(1)} MB/s`
    : bps >= 1024
      ? `${(bps / 1024).toFixed(1)} KB/s`
      : `${bps} B/s`;

const shown = (v: string | number | boolean | null): string => (v === null ? '(removed)' : JSON.stringify(v));

/** What the effect does, as a short phrase ('503 + Retry-After: 30'). */
export function effectPhrase(e: FaultEffect): string {
  switch (e.kind) {
    case 'status': {
      const extra: string[] = [];
      if (e.status === 409) extra.push(`X-WOPI-Lock: ${e.lock ? e.lock : '"" (unlocked)'}`);
      if (e.retryAfterSeconds !== undefined) extra.push(`Retry-After: ${e.retryAfterSeconds}`);
      return [String(e.status), ...extra].join(', ');
    }
    case 'latency':
      return `+${e.ms} ms`;
    case 'throttle':
      return `throttled to ${rate(e.bytesPerSecond)}`;
    case 'abort-body':
      return `body cut after ${e.afterBytes} bytes`;
    case 'drop-connection':
      return 'connection dropped';
    case 'file-info':
      return Object.entries(e.set)
        .map(([k, v]) => `${k}=${shown(v)}`)
        .join(', ');
  }
}

/** The name a rule gets when it has none: 'PutFile → 503, Retry-After: 30'. */
export function defaultName(effect: FaultEffect, match: FaultMatch): string {
  const ops = match.operations?.join(', ') ?? 'every operation';
  return `${ops} → ${effectPhrase(effect)}`;
}

/** What the rule did to one request, in the past tense (FaultTag.summary). */
export function firedSummary(e: FaultEffect): string {
  switch (e.kind) {
    case 'status':
      return `answered ${effectPhrase(e)} instead of running the operation`;
    case 'latency':
      return `delayed ${e.ms} ms, then handled`;
    case 'throttle':
      return `body ${rate(e.bytesPerSecond)}`;
    case 'abort-body':
      return `connection cut after ${e.afterBytes} body bytes`;
    case 'drop-connection':
      return 'connection closed without an answer';
    case 'file-info':
      return `CheckFileInfo changed: ${effectPhrase(e)}`;
  }
}
