// JSON in and out of the control listener. Every response carries no-store and nosniff, and never
// any CORS header: the API is same-origin only, so there is nothing to allow.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../contracts/api';
import { redactText } from '../events/redact';
import { ControlError } from './errors';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const buf = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...BASE_HEADERS,
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(buf.length),
  });
  res.end(buf);
}

export function sendError(res: ServerResponse, err: ControlError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Messages may echo what the caller sent (an id, a URL): redacted like any other answer.
  const body: ApiError = { error: { code: err.code, message: redactText(err.message) } };
  sendJson(res, err.status, body, err.headers);
}

/** The raw body, bounded: past the limit the rest is drained unread and the connection closed after the reply. */
function readBounded(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (size: string): ControlError =>
    new ControlError('too-large', `the request body is ${size}; the limit is ${limit} bytes`, {
      connection: 'close',
    });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(`${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      fn();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.resume(); // keep draining so the 413 can still be written on this socket
      settle(() => reject(tooLarge(`over ${limit} bytes`)));
    };
    req.on('data', onData);
    req.once('end', () => settle(() => resolve(Buffer.concat(chunks))));
    req.once('error', () =>
      settle(() => reject(new ControlError('bad-request', 'the request body was interrupted'))),
    );
    req.once('close', () =>
      settle(() => reject(new ControlError('bad-request', 'the request body was interrupted'))),
    );
  });
}

/** The request body as parsed JSON, or undefined when there is none. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const raw = await readBounded(req, limit);
  if (raw.length === 0) return undefined;
  // Requiring the JSON type also keeps HTML forms (which cannot send it) out, on top of the Origin check.
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new ControlError('bad-request', 'send the body as JSON with Content-Type: application/json');
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new ControlError('bad-request', 'the request body is not valid JSON');
  }
}
