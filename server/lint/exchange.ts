// One exchange as the linter reads it: the wire facts of a request record, header names compared
// without case (records from other producers may keep the case they were sent with), the JSON
// answer parsed at most once and only when a rule asks for it.
import type { RequestRecord, WopiOperation } from '../contracts/api';

export type JsonBody =
  | { kind: 'none' }
  /** Cut at the record's inline limit: nothing can be said about what is missing. */
  | { kind: 'truncated' }
  | { kind: 'invalid'; why: string }
  | { kind: 'ok'; value: unknown };

export interface Exchange {
  rec: RequestRecord;
  op: WopiOperation;
  fileId: string | undefined;
  status: number;
  /** Epoch ms; `endAt` is when the answer was complete. */
  startAt: number;
  endAt: number;
  reqHeader(name: string): string | undefined;
  resHeader(name: string): string | undefined;
  /** The response body as JSON (parsed once). */
  json(): JsonBody;
}

export const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** A header reader; the record's keys are lower-case when it came from node:http, so look there first. */
function reader(h: Record<string, string> | undefined): (name: string) => string | undefined {
  if (!h) return () => undefined;
  let lower: Map<string, string> | undefined;
  return (name) => {
    const direct = h[name];
    if (direct !== undefined) return direct;
    if (!lower) {
      lower = new Map();
      for (const [k, v] of Object.entries(h)) lower.set(k.toLowerCase(), v);
    }
    return lower.get(name);
  };
}

// A client asks CheckFileInfo again and again and gets the same JSON back: the last answer parsed is
// kept, so a repeat costs a string comparison instead of a parse (rules only read the value).
let lastText: string | undefined;
let lastParsed: JsonBody = { kind: 'none' };

function parseBody(rec: RequestRecord): JsonBody {
  const b = rec.responseBody;
  if (!b || b.text === undefined) return { kind: 'none' };
  if (b.truncated) return { kind: 'truncated' };
  if (b.text === lastText) return lastParsed;
  try {
    lastParsed = { kind: 'ok', value: JSON.parse(b.text) as unknown };
  } catch (e) {
    lastParsed = { kind: 'invalid', why: e instanceof Error ? e.message : String(e) };
  }
  lastText = b.text;
  return lastParsed;
}

export function exchangeOf(rec: RequestRecord): Exchange {
  let body: JsonBody | undefined;
  return {
    rec,
    op: rec.operation,
    fileId: rec.fileId,
    status: rec.status,
    startAt: rec.startedAt,
    endAt: rec.startedAt + rec.durationMs,
    reqHeader: reader(rec.requestHeaders),
    resHeader: reader(rec.responseHeaders),
    json: () => (body ??= parseBody(rec)),
  };
}

/** The raw (still percent-encoded) value of `access_token` in a raw query string. */
export function rawQueryParam(query: string, name: string): string | undefined {
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq) === name) return part.slice(eq + 1);
  }
  return undefined;
}

/** The proof check failed, so a 500 is what the protocol asks for (PROTOCOL §8.3). */
export const proofFailed = (rec: RequestRecord): boolean =>
  rec.proof !== undefined &&
  (rec.proof.rejected || rec.proof.outcome === 'invalid' || rec.proof.outcome === 'expired');
