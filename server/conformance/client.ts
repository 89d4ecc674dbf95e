// The conformance runner's WOPI client. It sends what Microsoft's validator sends (access_token and
// access_token_ttl in the query, Authorization: Bearer, Content-Length on every POST), keeps raw
// response headers (an empty `X-WOPI-Lock: ` stays distinguishable from a missing one), and makes
// every exchange a request record tagged with the run and the case. Against this workbench's own
// host the host records the exchange itself (tagged from X-Workbench-Check), so nothing is recorded
// twice: the client only reads the record id from X-Request-Id, and records what the host did not
// (a path outside /wopi/, a request that never got an answer).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { BodySummary, CheckTag, RequestRecord } from '../contracts/api';
import { CHECK_TAG_HEADER } from '../protocol/headers';
import { operationOf, wopiFileOf } from '../protocol/operations';

export { CHECK_TAG_HEADER };

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
  /** With a signer: sign with this variant (default: a correct proof with the current key). */
  proof?: ProofVariant | false;
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
  durationMs: number;
  /** The request record of this exchange. */
  recordId: string;
  /** Header value, or undefined when the header is absent (an empty header is ""). */
  header(name: string): string | undefined;
  /** The body as a JSON object, or undefined when it is not one. */
  json(): Record<string, unknown> | undefined;
  /** `409 X-WOPI-Lock: "LockString"` — status and the WOPI headers, one line, for failure messages. */
  summary(): string;
}

export interface WopiClientOptions {
  /** Tag of the case being run (read per request, so one client serves a whole run). */
  tag: () => CheckTag;
  /**
   * Receives the client-side record of each exchange the host does not record itself (every
   * exchange, unless `hostRecords`).
   */
  record?: (rec: RequestRecord) => void;
  /**
   * The target is this workbench's own host: an answer carrying X-Request-Id is already a record
   * there (tagged from X-Workbench-Check). Another host's X-Request-Id means nothing to us.
   */
  hostRecords?: boolean;
  /** Told the record id of every exchange as it completes (the runner lists a case's exchanges). */
  onExchange?: (recordId: string) => void;
  signer?: ProofSigner;
  /** Per-request timeout; Office gives up on most calls well before this. */
  timeoutMs?: number;
  /** Inline text bodies up to this many bytes in the records. */
  inlineBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
// No keep-alive: a pooled socket would hold a host open while it shuts down, and a host that
// breaks keep-alive must not fail cases that are about something else.
const httpAgent = new http.Agent({ keepAlive: false });
const httpsAgent = new https.Agent({ keepAlive: false });

function flatten(h: IncomingHttpHeaders | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function bodySummary(body: Buffer, contentType: string | undefined, inline: number): BodySummary | undefined {
  if (body.length === 0) return undefined;
  const textual = contentType !== undefined && /json|text|xml/i.test(contentType);
  return {
    size: body.length,
    ...(contentType !== undefined ? { contentType } : {}),
    ...(textual ? { text: body.subarray(0, inline).toString('utf8'), truncated: body.length > inline } : {}),
  };
}

/** Signs a request as an Office client would (X-WOPI-Proof, -ProofOld, -TimeStamp). */
export interface ProofSigner {
  hasOldKey: boolean;
  /**
   * Proof headers for `url` (the absolute URL as sent, query included) and `accessToken`. Variants
   * build the mistakes a host must refuse: the old key as current, a stale timestamp, a signature
   * over another URL.
   */
  headers(url: string, accessToken: string, variant?: ProofVariant): Record<string, string>;
}

export interface ProofVariant {
  /** Which key signs X-WOPI-Proof / X-WOPI-ProofOld ('none' leaves the header out). */
  proof?: 'current' | 'old' | 'none';
  proofOld?: 'current' | 'old' | 'none';
  /** Epoch ms to stamp; default now. */
  timestampMs?: number;
  /** Sign this URL instead of the one sent. */
  signedUrl?: string;
}

export function wopiUrl(target: WopiTarget, suffix = '', token?: string): string {
  const query = [`access_token=${encodeURIComponent(token ?? target.accessToken)}`];
  if (target.accessTokenTtl !== undefined) query.push(`access_token_ttl=${target.accessTokenTtl}`);
  if (target.extraQuery !== undefined) query.push(target.extraQuery);
  return `${target.wopiSrc}${suffix}?${query.join('&')}`;
}

/** Parses a host-provided URL (e.g. PutRelativeFile `Url`) into a target, keeping its other query parameters. */
export function targetFromUrl(urlText: string): WopiTarget | undefined {
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return undefined;
  }
  const accessToken = url.searchParams.get('access_token');
  if (accessToken === null || accessToken === '') return undefined;
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

// RFC 2152 direct characters as .NET's UTF7Encoding uses them: the optional-direct set is base64-encoded,
// which is why the validator sends `madeup_name` as `madeup+AF8-name`.
const UTF7_DIRECT = /^[A-Za-z0-9'(),\-./:? \t\r\n]$/;

/** UTF-7 (RFC 2152) as .NET's default encoder writes it, which the validator uses for name headers. */
export function encodeUtf7Net(input: string): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (ch === '+') {
      out += '+-';
      i += 1;
      continue;
    }
    if (UTF7_DIRECT.test(ch)) {
      out += ch;
      i += 1;
      continue;
    }
    let end = i;
    while (end < input.length && input.charAt(end) !== '+' && !UTF7_DIRECT.test(input.charAt(end))) end += 1;
    const units = Buffer.alloc((end - i) * 2);
    for (let k = i; k < end; k += 1) units.writeUInt16BE(input.charCodeAt(k), (k - i) * 2);
    out += `+${units.toString('base64').replace(/=+$/, '')}-`;
    i = end;
  }
  return out;
}

function summaryOf(status: number, headers: IncomingHttpHeaders, text: string): string {
  const wopi = Object.entries(headers)
    .filter(([name]) => name.startsWith('x-wopi') && name !== 'x-wopi-serverversion')
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`);
  const printable = !text.includes('\u0000') && !text.includes('\ufffd');
  const body = text.length > 0 && text.length <= 120 && printable ? ` ${text}` : '';
  return [String(status), ...wopi].join(' ') + body;
}

export interface PutRelativeOptions extends RequestOptions {
  /** Plain (decoded) name or extension; sent UTF-7 encoded as X-WOPI-SuggestedTarget. */
  suggestedTarget?: string;
  /** Plain (decoded) name; sent UTF-7 encoded as X-WOPI-RelativeTarget. */
  relativeTarget?: string;
  /** Sent as .NET formats booleans (`True`/`False`), like the validator. */
  overwriteRelativeTarget?: boolean;
  /** Send the target headers exactly as given (no UTF-7 encoding), for malformed-input cases. */
  rawTargets?: boolean;
}

export function createWopiClient(options: WopiClientOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const inline = options.inlineBytes ?? 64 * 1024;

  /** Sends one request. `rawPath` bypasses URL normalisation (to send `..` segments as written). */
  function send(req: {
    method: string;
    url: string;
    rawPath?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    /** Token the proof is computed over (the one in the query). */
    token?: string;
    proof?: RequestOptions['proof'];
  }): Promise<WopiResponse> {
    const url = new URL(req.url);
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const tag = options.tag();
    const headers: Record<string, string> = {};
    if (options.signer && req.proof !== false && req.token !== undefined) {
      const pathAndQuery = req.rawPath ?? `${url.pathname}${url.search}`;
      Object.assign(
        headers,
        options.signer.headers(`${url.origin}${pathAndQuery}`, req.token, req.proof ?? undefined),
      );
    }
    Object.assign(headers, req.headers ?? {});
    headers[CHECK_TAG_HEADER] = `${tag.runId} ${tag.caseId}`;
    if (req.method !== 'GET' || body !== undefined) headers['Content-Length'] = String(body?.length ?? 0);
    const pathAndQuery = req.rawPath ?? `${url.pathname}${url.search}`;
    const sent: SentRequest = {
      method: req.method,
      url: `${url.origin}${pathAndQuery}`,
      headers,
      bodyLength: body?.length ?? 0,
    };
    const startedAt = Date.now();
    const t0 = performance.now();
    const finish = (
      status: number,
      resHeaders: IncomingHttpHeaders,
      resBody: Buffer,
      why?: string,
    ): WopiResponse => {
      const durationMs = Math.round((performance.now() - t0) * 100) / 100;
      const hostId = options.hostRecords === true ? resHeaders['x-request-id'] : undefined;
      const recordedByHost = typeof hostId === 'string' && hostId !== '';
      const recordId = recordedByHost ? hostId : randomUUID();
      if (options.record && !recordedByHost) {
        const q = pathAndQuery.indexOf('?');
        const lower = flatten(headers);
        const operation = operationOf(
          req.method,
          url.pathname,
          lower['x-wopi-override'],
          lower['x-wopi-oldlock'] !== undefined,
        );
        const { fileId } = wopiFileOf(url.pathname);
        const ct = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
        const rec: RequestRecord = {
          id: recordId,
          startedAt,
          durationMs,
          method: req.method,
          path: q >= 0 ? pathAndQuery.slice(0, q) : pathAndQuery,
          query: q >= 0 ? pathAndQuery.slice(q + 1) : '',
          operation,
          ...(headers['X-WOPI-Override'] !== undefined ? { override: headers['X-WOPI-Override'] } : {}),
          ...(fileId !== undefined ? { fileId } : {}),
          status,
          ...(why !== undefined ? { why } : {}),
          requestHeaders: flatten(headers),
          responseHeaders: flatten(resHeaders),
          requestBody: body ? bodySummary(body, ct(headers['Content-Type']), inline) : undefined,
          responseBody: bodySummary(resBody, ct(resHeaders['content-type']), inline),
          source: 'check',
          upstream: `${url.origin}${url.pathname}`,
          check: tag,
        };
        options.record(rec);
      }
      options.onExchange?.(recordId);
      const text = resBody.toString('utf8');
      return {
        request: sent,
        status,
        headers: resHeaders,
        body: resBody,
        text,
        durationMs,
        recordId,
        header(name) {
          const value = resHeaders[name.toLowerCase()];
          if (value === undefined) return undefined;
          return Array.isArray(value) ? value.join(', ') : value;
        },
        json() {
          try {
            const parsed: unknown = JSON.parse(text);
            return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
              ? (parsed as Record<string, unknown>)
              : undefined;
          } catch {
            return undefined;
          }
        },
        summary: () => summaryOf(status, resHeaders, text),
      };
    };
    return new Promise((resolve, reject) => {
      const transport = url.protocol === 'https:' ? https : http;
      const r = transport.request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          path: pathAndQuery,
          method: req.method,
          headers: headers as OutgoingHttpHeaders,
          agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(finish(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
          res.on('error', reject);
        },
      );
      r.setTimeout(timeoutMs, () => {
        r.destroy(
          new Error(`no response within ${timeoutMs} ms: ${sent.method} ${url.origin}${url.pathname}`),
        );
      });
      r.on('error', (e) => {
        // The failed exchange is still a record, so the case can point at it.
        finish(0, {}, Buffer.alloc(0), e.message);
        reject(e);
      });
      r.end(body);
    });
  }

  function call(
    method: 'GET' | 'POST',
    target: WopiTarget,
    suffix: string,
    override: string | undefined,
    o: RequestOptions = {},
  ): Promise<WopiResponse> {
    const token = o.token ?? target.accessToken;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (override !== undefined) headers['X-WOPI-Override'] = override;
    Object.assign(headers, o.headers ?? {});
    return send({
      method,
      url: wopiUrl(target, suffix, token),
      headers,
      token,
      ...(o.proof !== undefined ? { proof: o.proof } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
    });
  }

  const withLock = (o: RequestOptions, lockId: string | undefined): RequestOptions =>
    lockId === undefined ? o : { ...o, headers: { ...(o.headers ?? {}), 'X-WOPI-Lock': lockId } };

  return {
    send,
    /** Generic POST to the files endpoint with any override (or none). */
    postOverride: (t: WopiTarget, override: string | undefined, o?: RequestOptions) =>
      call('POST', t, '', override, o),
    checkFileInfo: (t: WopiTarget, o?: RequestOptions) => call('GET', t, '', undefined, o),
    getFile(t: WopiTarget, o: RequestOptions & { maxExpectedSize?: number } = {}) {
      const headers = { ...(o.headers ?? {}) };
      if (o.maxExpectedSize !== undefined) headers['X-WOPI-MaxExpectedSize'] = String(o.maxExpectedSize);
      return call('GET', t, '/contents', undefined, { ...o, headers });
    },
    /** PutFile; without `lock` no X-WOPI-Lock header is sent (the create-new flow). */
    putFile: (t: WopiTarget, body: Buffer | string, o: RequestOptions & { lock?: string } = {}) =>
      call('POST', t, '/contents', 'PUT', { ...withLock(o, o.lock), body }),
    /** Lock; pass `undefined` to omit X-WOPI-Lock. */
    lock: (t: WopiTarget, lockId: string | undefined, o: RequestOptions = {}) =>
      call('POST', t, '', 'LOCK', withLock(o, lockId)),
    unlockAndRelock(t: WopiTarget, newLock: string | undefined, oldLock: string, o: RequestOptions = {}) {
      const withNew = withLock(o, newLock);
      return call('POST', t, '', 'LOCK', {
        ...withNew,
        headers: { ...(withNew.headers ?? {}), 'X-WOPI-OldLock': oldLock },
      });
    },
    getLock: (t: WopiTarget, o: RequestOptions = {}) => call('POST', t, '', 'GET_LOCK', o),
    refreshLock: (t: WopiTarget, lockId: string | undefined, o: RequestOptions = {}) =>
      call('POST', t, '', 'REFRESH_LOCK', withLock(o, lockId)),
    unlock: (t: WopiTarget, lockId: string | undefined, o: RequestOptions = {}) =>
      call('POST', t, '', 'UNLOCK', withLock(o, lockId)),
    putRelativeFile(t: WopiTarget, body: Buffer | string, o: PutRelativeOptions = {}) {
      const encode = (name: string): string => (o.rawTargets === true ? name : encodeUtf7Net(name));
      const headers: Record<string, string> = { 'X-WOPI-Size': String(Buffer.byteLength(body)) };
      if (o.suggestedTarget !== undefined) headers['X-WOPI-SuggestedTarget'] = encode(o.suggestedTarget);
      if (o.relativeTarget !== undefined) headers['X-WOPI-RelativeTarget'] = encode(o.relativeTarget);
      if (o.overwriteRelativeTarget !== undefined)
        headers['X-WOPI-OverwriteRelativeTarget'] = o.overwriteRelativeTarget ? 'True' : 'False';
      Object.assign(headers, o.headers ?? {});
      return call('POST', t, '', 'PUT_RELATIVE', { ...o, headers, body });
    },
    /**
     * RenameFile. Like the validator, X-WOPI-Lock is always sent: empty when no lock is given.
     * `requestedName` is the plain name without extension; sent UTF-7 encoded unless `rawName`.
     */
    renameFile(
      t: WopiTarget,
      requestedName: string,
      o: RequestOptions & { lock?: string; rawName?: boolean } = {},
    ) {
      const headers: Record<string, string> = {
        'X-WOPI-RequestedName': o.rawName === true ? requestedName : encodeUtf7Net(requestedName),
        'X-WOPI-Lock': o.lock ?? '',
        ...(o.headers ?? {}),
      };
      return call('POST', t, '', 'RENAME_FILE', { ...o, headers });
    },
    deleteFile: (t: WopiTarget, o: RequestOptions = {}) => call('POST', t, '', 'DELETE', o),
    putUserInfo: (t: WopiTarget, userInfo: string, o: RequestOptions = {}) =>
      call('POST', t, '', 'PUT_USER_INFO', { ...o, body: userInfo }),
  };
}

export type WopiClient = ReturnType<typeof createWopiClient>;
