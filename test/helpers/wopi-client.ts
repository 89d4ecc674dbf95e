// A small WOPI client over node:http for conformance tests. It sends what Microsoft's validator sends
// (access_token + access_token_ttl in the query, Authorization: Bearer, Content-Length on every POST) and
// keeps raw response headers, so an empty `X-WOPI-Lock: ` stays distinguishable from a missing one.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { encodeUtf7Net } from '../../server/conformance/client';

const REQUEST_TIMEOUT_MS = 15_000;
// No keep-alive: a pooled socket would hold the server open while it shuts down.
const agent = new http.Agent({ keepAlive: false });

/** Where a WOPI file lives and how to authenticate against it. */
export interface WopiTarget {
  /** Files-endpoint URL without query string: `http://host:port/wopi/files/<id>`. */
  wopiSrc: string;
  accessToken: string;
  accessTokenTtl?: number;
  /** Other query parameters that came with a host-provided URL (kept as received). */
  extraQuery?: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Replaces the target's token (query and Bearer), like the validator's AccessToken mutator. */
  token?: string;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyLength: number;
}

export interface WopiResponse {
  request: SentRequest;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** Header value, or undefined when the header is absent (an empty header is ""). */
  header(name: string): string | undefined;
  json(): Record<string, unknown>;
  /** One paragraph naming the request and the response, for assertion messages. */
  describe(): string;
}

export function redactUrl(url: string): string {
  return url.replace(/(access_token=)([^&]*)/g, (_m, key: string, value: string) =>
    value.length > 6 ? `${key}${value.slice(0, 4)}…` : `${key}${value}`,
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
}

function makeResponse(
  request: SentRequest,
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
): WopiResponse {
  const text = body.toString('utf8');
  const header = (name: string): string | undefined => {
    const value = headers[name.toLowerCase()];
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.join(', ') : value;
  };
  const describe = (): string => {
    const sentHeaders = Object.entries(request.headers)
      .filter(([name]) => name.toLowerCase() !== 'authorization')
      .map(([name, value]) => `${name}: ${clip(JSON.stringify(value), 80)}`)
      .join(', ');
    const wopiHeaders = Object.entries(headers)
      .filter(([name]) => name.startsWith('x-wopi') || name === 'content-type')
      .map(([name, value]) => `${name}: ${clip(JSON.stringify(value), 80)}`)
      .join(', ');
    return (
      `${request.method} ${redactUrl(request.url)} [${sentHeaders}] (body ${request.bodyLength} B)\n` +
      `  -> ${status} [${wopiHeaders}] ${clip(JSON.stringify(text), 300)}`
    );
  };
  const json = (): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      assert.fail(`response is not JSON\n${describe()}`);
    }
    assert.ok(
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed),
      `response is not a JSON object\n${describe()}`,
    );
    return parsed as Record<string, unknown>;
  };
  return { request, status, headers, body, text, header, json, describe };
}

/**
 * Sends one request. `rawPath` bypasses URL normalisation (needed to send `..` and `%2e%2e` segments
 * exactly as written).
 */
export function sendRequest(options: {
  method: string;
  url: string;
  rawPath?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}): Promise<WopiResponse> {
  const url = new URL(options.url);
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.method !== 'GET' || body !== undefined) headers['Content-Length'] = String(body?.length ?? 0);
  const pathAndQuery = options.rawPath ?? `${url.pathname}${url.search}`;
  const sent: SentRequest = {
    method: options.method,
    url: `${url.origin}${pathAndQuery}`,
    headers,
    bodyLength: body?.length ?? 0,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        path: pathAndQuery,
        method: options.method,
        headers: headers as OutgoingHttpHeaders,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve(makeResponse(sent, res.statusCode ?? 0, res.headers, Buffer.concat(chunks))),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.destroy(
        new Error(`no response within ${REQUEST_TIMEOUT_MS} ms: ${sent.method} ${redactUrl(sent.url)}`),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Parses a host-provided URL (e.g. PutRelativeFile `Url`) into a target, keeping its other query parameters. */
export function targetFromUrl(urlText: string): WopiTarget {
  const url = new URL(urlText);
  const accessToken = url.searchParams.get('access_token');
  assert.ok(accessToken !== null && accessToken !== '', `URL has no access_token: ${redactUrl(urlText)}`);
  const ttlText = url.searchParams.get('access_token_ttl');
  url.searchParams.delete('access_token');
  url.searchParams.delete('access_token_ttl');
  const extraQuery = url.searchParams.toString();
  return {
    wopiSrc: `${url.origin}${url.pathname}`,
    accessToken,
    ...(ttlText !== null && ttlText !== '' ? { accessTokenTtl: Number(ttlText) } : {}),
    ...(extraQuery !== '' ? { extraQuery } : {}),
  };
}

export function wopiUrl(target: WopiTarget, suffix = '', token?: string): string {
  const query = [`access_token=${encodeURIComponent(token ?? target.accessToken)}`];
  if (target.accessTokenTtl !== undefined) query.push(`access_token_ttl=${target.accessTokenTtl}`);
  if (target.extraQuery !== undefined) query.push(target.extraQuery);
  return `${target.wopiSrc}${suffix}?${query.join('&')}`;
}

function call(
  method: 'GET' | 'POST',
  target: WopiTarget,
  suffix: string,
  override: string | undefined,
  options: RequestOptions = {},
): Promise<WopiResponse> {
  const token = options.token ?? target.accessToken;
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (override !== undefined) headers['X-WOPI-Override'] = override;
  Object.assign(headers, options.headers ?? {});
  return sendRequest({
    method,
    url: wopiUrl(target, suffix, token),
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}

/** Generic POST to the files endpoint with any override (or none). */
export function postOverride(
  target: WopiTarget,
  override: string | undefined,
  options?: RequestOptions,
): Promise<WopiResponse> {
  return call('POST', target, '', override, options);
}

export function checkFileInfo(target: WopiTarget, options?: RequestOptions): Promise<WopiResponse> {
  return call('GET', target, '', undefined, options);
}

export function getFile(
  target: WopiTarget,
  options: RequestOptions & { maxExpectedSize?: number } = {},
): Promise<WopiResponse> {
  const headers = { ...(options.headers ?? {}) };
  if (options.maxExpectedSize !== undefined)
    headers['X-WOPI-MaxExpectedSize'] = String(options.maxExpectedSize);
  return call('GET', target, '/contents', undefined, { ...options, headers });
}

/** PutFile; without `lock` no X-WOPI-Lock header is sent (the create-new flow). */
export function putFile(
  target: WopiTarget,
  body: Buffer | string,
  options: RequestOptions & { lock?: string } = {},
): Promise<WopiResponse> {
  const headers = { ...(options.headers ?? {}) };
  if (options.lock !== undefined) headers['X-WOPI-Lock'] = options.lock;
  return call('POST', target, '/contents', 'PUT', { ...options, headers, body });
}

function withLock(options: RequestOptions, lock: string | undefined): RequestOptions {
  const headers = { ...(options.headers ?? {}) };
  if (lock !== undefined) headers['X-WOPI-Lock'] = lock;
  return { ...options, headers };
}

/** Lock; pass `undefined` to omit X-WOPI-Lock. */
export function lock(
  target: WopiTarget,
  lockId: string | undefined,
  options: RequestOptions = {},
): Promise<WopiResponse> {
  return call('POST', target, '', 'LOCK', withLock(options, lockId));
}

export function unlockAndRelock(
  target: WopiTarget,
  newLock: string | undefined,
  oldLock: string,
  options: RequestOptions = {},
): Promise<WopiResponse> {
  const withNew = withLock(options, newLock);
  return call('POST', target, '', 'LOCK', {
    ...withNew,
    headers: { ...withNew.headers, 'X-WOPI-OldLock': oldLock },
  });
}

export function getLock(target: WopiTarget, options: RequestOptions = {}): Promise<WopiResponse> {
  return call('POST', target, '', 'GET_LOCK', options);
}

export function refreshLock(
  target: WopiTarget,
  lockId: string | undefined,
  options: RequestOptions = {},
): Promise<WopiResponse> {
  return call('POST', target, '', 'REFRESH_LOCK', withLock(options, lockId));
}

export function unlock(
  target: WopiTarget,
  lockId: string | undefined,
  options: RequestOptions = {},
): Promise<WopiResponse> {
  return call('POST', target, '', 'UNLOCK', withLock(options, lockId));
}

export interface PutRelativeOptions extends RequestOptions {
  /** Plain (decoded) name or extension; sent UTF-7 encoded as X-WOPI-SuggestedTarget. */
  suggestedTarget?: string;
  /** Plain (decoded) name; sent UTF-7 encoded as X-WOPI-RelativeTarget. */
  relativeTarget?: string;
  /** Sent as .NET formats booleans (`True`/`False`), like the validator. */
  overwriteRelativeTarget?: boolean;
  /** Send the target headers exactly as given (no UTF-7 encoding), for malformed-input tests. */
  rawTargets?: boolean;
}

export function putRelativeFile(
  target: WopiTarget,
  body: Buffer | string,
  options: PutRelativeOptions = {},
): Promise<WopiResponse> {
  const encode = (name: string): string => (options.rawTargets === true ? name : encodeUtf7(name));
  const headers: Record<string, string> = { 'X-WOPI-Size': String(Buffer.byteLength(body)) };
  if (options.suggestedTarget !== undefined)
    headers['X-WOPI-SuggestedTarget'] = encode(options.suggestedTarget);
  if (options.relativeTarget !== undefined) headers['X-WOPI-RelativeTarget'] = encode(options.relativeTarget);
  if (options.overwriteRelativeTarget !== undefined) {
    headers['X-WOPI-OverwriteRelativeTarget'] = options.overwriteRelativeTarget ? 'True' : 'False';
  }
  Object.assign(headers, options.headers ?? {});
  return call('POST', target, '', 'PUT_RELATIVE', { ...options, headers, body });
}

/**
 * RenameFile. Like the validator, X-WOPI-Lock is always sent: empty when no lock is given.
 * `requestedName` is the plain name without extension; it is sent UTF-7 encoded unless `rawName`.
 */
export function renameFile(
  target: WopiTarget,
  requestedName: string,
  options: RequestOptions & { lock?: string; rawName?: boolean } = {},
): Promise<WopiResponse> {
  const headers: Record<string, string> = {
    'X-WOPI-RequestedName': options.rawName === true ? requestedName : encodeUtf7(requestedName),
    'X-WOPI-Lock': options.lock ?? '',
    ...(options.headers ?? {}),
  };
  return call('POST', target, '', 'RENAME_FILE', { ...options, headers });
}

/**
 * A PutFile whose body the caller writes by hand, to stop or kill the server mid-upload. Headers go out at
 * once; `result` is the status, or the error when the connection dies.
 */
export function openPutFile(
  target: WopiTarget,
  lockId: string,
  size: number,
): { req: http.ClientRequest; result: Promise<number | Error> } {
  const req = http.request(wopiUrl(target, '/contents'), {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': lockId, 'Content-Length': String(size) },
  });
  const result = new Promise<number | Error>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', resolve);
    });
    req.on('error', resolve);
  });
  req.flushHeaders();
  return { req, result };
}

export function deleteFile(target: WopiTarget, options: RequestOptions = {}): Promise<WopiResponse> {
  return call('POST', target, '', 'DELETE', options);
}

export function putUserInfo(
  target: WopiTarget,
  userInfo: string,
  options: RequestOptions = {},
): Promise<WopiResponse> {
  return call('POST', target, '', 'PUT_USER_INFO', { ...options, body: userInfo });
}

/** .NET-style UTF-7, as the validator sends name headers: the conformance client's encoder. */
export const encodeUtf7 = encodeUtf7Net;

// Assertions shared by the conformance files; every message carries the request and the response.

export function expectStatus(res: WopiResponse, expected: number | readonly number[], what = ''): void {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  assert.ok(
    allowed.includes(res.status),
    `${what ? `${what}: ` : ''}expected status ${allowed.join(' or ')}, got ${res.status}\n${res.describe()}`,
  );
}

/** Header must be present with exactly this value ("" means present and empty). */
export function expectHeader(res: WopiResponse, name: string, expected: string, what = ''): void {
  const actual = res.header(name);
  assert.ok(actual !== undefined, `${what ? `${what}: ` : ''}${name} header missing\n${res.describe()}`);
  assert.equal(
    actual,
    expected,
    `${what ? `${what}: ` : ''}${name} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}\n${res.describe()}`,
  );
}

/** Header must be present and non-empty; returns its value. */
export function expectNonEmptyHeader(res: WopiResponse, name: string, what = ''): string {
  const actual = res.header(name);
  assert.ok(
    actual !== undefined && actual !== '',
    `${what ? `${what}: ` : ''}${name} header missing or empty\n${res.describe()}`,
  );
  return actual;
}

/** The validator's LockMismatchValidator, strict: 409 and X-WOPI-Lock present with the current lock ("" when unlocked). */
export function expectLockMismatch(res: WopiResponse, currentLock: string, what = ''): void {
  expectStatus(res, 409, what);
  expectHeader(res, 'X-WOPI-Lock', currentLock, what);
}

/** A 200 that is not GetLock must not carry X-WOPI-Lock (PROTOCOL §5.2). */
export function expectOkWithoutLock(res: WopiResponse, what: string): void {
  expectStatus(res, 200, what);
  assert.equal(
    res.header('X-WOPI-Lock'),
    undefined,
    `${what}: X-WOPI-Lock must not be sent on a 200\n${res.describe()}`,
  );
}

/**
 * Stand-ins for the validator's resource documents: distinct, non-empty byte strings (the zero-byte one is
 * empty), so content checks can tell which one a file holds.
 */
export const validatorDocuments = {
  wordBlank: Buffer.from('PK\u0003\u0004 WordBlankDocument stand-in\n'),
  wordSimple: Buffer.from('PK\u0003\u0004 WordSimpleDocument stand-in, a little longer\n'),
  wordComplex: Buffer.from('PK\u0003\u0004 WordComplexDocument stand-in, longer still, with more bytes\n'),
  zeroByte: Buffer.alloc(0),
} as const;

/**
 * Validator prerequisite checks on a CheckFileInfo body. `true` means present and true (IsRequired);
 * `false` means absent or false, as the validator's optional BooleanProperty checks read it.
 */
export function expectCapabilities(
  info: Record<string, unknown>,
  expected: Record<string, boolean>,
  what = 'prerequisite',
): void {
  for (const [name, value] of Object.entries(expected)) {
    const actual = info[name];
    if (value) {
      assert.equal(
        actual,
        true,
        `${what}: CheckFileInfo ${name} must be true, got ${JSON.stringify(actual)}`,
      );
    } else {
      assert.ok(
        actual === undefined || actual === false,
        `${what}: CheckFileInfo ${name} must be absent or false, got ${JSON.stringify(actual)}`,
      );
    }
  }
}
