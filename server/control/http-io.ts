// JSON in and out of the control listener. Every response carries no-store and nosniff, and never
// any CORS header: the API is same-origin only, so there is nothing to allow.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../contracts/api';
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
  const body: ApiError = { error: { code: err.code, message: err.message } };
  sendJson(res, err.status, body, err.headers);
}

/**
 * The request body as parsed JSON, or undefined when there is none. Bounded: a declared or actual
 * size past the limit is refused without buffering the rest.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new ControlError('too-large', `the request body is ${declared} bytes; the limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.destroy();
      throw new ControlError('too-large', `the request body is larger than the ${limit}-byte limit`);
    }
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  // Requiring the JSON type also keeps HTML forms (which cannot send it) out, on top of the Origin check.
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new ControlError('bad-request', 'send the body as JSON with Content-Type: application/json');
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ControlError('bad-request', 'the request body is not valid JSON');
  }
}
