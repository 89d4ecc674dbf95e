// The control API's one error path: whatever a middleware or route throws becomes an ApiModelError
// (our code), then a status and an ApiError body. Library errors (body-parser's http-errors, the
// router's param decoding) are mapped by their `type` or status here, never by message text.
import type { ErrorRequestHandler, Response } from 'express';
import { ApiModelError, toApiModelError } from '../api';
import type { ApiErrorCode } from '../api';
import type { ApiError } from '../contracts/api';
import type { EventBus } from '../events/bus';
import { redactText } from '../events/redact';
import { BASE_HEADERS, sendJson } from './respond';

const STATUS_OF: Readonly<Record<ApiErrorCode, number>> = {
  'bad-request': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'too-large': 413,
  internal: 500,
  'not-available': 501,
};

const TOKEN_CHALLENGE = 'Bearer realm="wopi-workbench control"';

/** An http-errors value as thrown by body-parser, router and send: a status, often a `type`. */
interface HttpLibraryError {
  status: number;
  type?: string;
  limit?: number;
  length?: number;
  expose?: boolean;
  message: string;
}

const isHttpLibraryError = (e: unknown): e is HttpLibraryError =>
  e instanceof Error && typeof (e as { status?: unknown }).status === 'number';

function fromHttpLibrary(e: HttpLibraryError, bodyLimit: number): ApiModelError {
  switch (e.type) {
    case 'entity.too.large': {
      const size =
        e.length !== undefined && Number.isFinite(e.length) ? `${e.length} bytes` : `over ${bodyLimit} bytes`;
      return new ApiModelError('too-large', `the request body is ${size}; the limit is ${bodyLimit} bytes`);
    }
    case 'entity.parse.failed':
      return new ApiModelError('bad-request', 'the request body is not valid JSON');
    case 'request.aborted':
      return new ApiModelError('bad-request', 'the request body was interrupted');
    case 'encoding.unsupported':
      return new ApiModelError('bad-request', 'send the body without Content-Encoding');
    default:
      break;
  }
  if (e.status >= 500) return toApiModelError(e);
  const code =
    (Object.keys(STATUS_OF) as ApiErrorCode[]).find((c) => STATUS_OF[c] === e.status) ?? 'bad-request';
  // Client-side library errors carry safe messages (http-errors sets `expose` for 4xx).
  return new ApiModelError(code, e.expose === false ? `request refused (${e.status})` : e.message);
}

/** Any thrown value as one of our codes. */
function toControlFailure(e: unknown, bodyLimit: number): ApiModelError {
  if (e instanceof ApiModelError) return e;
  if (isHttpLibraryError(e)) return fromHttpLibrary(e, bodyLimit);
  return toApiModelError(e);
}

/** Headers a code brings with it wherever it comes from (Allow is set by whoever knows the methods). */
function headersFor(code: ApiErrorCode): Record<string, string> {
  if (code === 'unauthorized') return { 'www-authenticate': TOKEN_CHALLENGE };
  // The rest of an oversized body is not worth reading on this connection: answer, then close.
  if (code === 'too-large') return { connection: 'close' };
  return {};
}

function sendError(res: Response, err: ApiModelError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Messages may echo what the caller sent (an id, a URL): redacted like any other answer.
  const body: ApiError = { error: { code: err.code, message: redactText(err.message) } };
  sendJson(res, STATUS_OF[err.code], body, { ...BASE_HEADERS, ...headersFor(err.code) });
}

/** The one error middleware: code -> status + ApiError; internal errors are also told on the bus. */
export function errorMiddleware(bus: EventBus, bodyLimit: number): ErrorRequestHandler {
  return (e: unknown, req, res, _next) => {
    const err = toControlFailure(e, bodyLimit);
    if (err.code === 'internal') {
      bus.emit('engine:warning', {
        code: 'control-internal',
        message: `${req.method} ${req.originalUrl}: ${err.message}`,
      });
    }
    sendError(res, err);
  };
}
