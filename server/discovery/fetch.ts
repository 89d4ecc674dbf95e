// Load discovery XML from an http(s) URL or a file, with failures classified in words a person
// can act on (DNS, TLS, refused connection, timeout, HTTP status, not XML, missing file).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type DiscoveryFetchErrorCode =
  | 'dns'
  | 'tls'
  | 'connect'
  | 'timeout'
  | 'http-status'
  | 'not-xml'
  | 'too-large'
  | 'file-not-found'
  | 'file-unreadable';

export class DiscoveryFetchError extends Error {
  override readonly name = 'DiscoveryFetchError';
  constructor(
    readonly code: DiscoveryFetchErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface FetchedDiscovery {
  xml: string;
  source: string;
  /** HTTP status for URLs; absent for files. */
  status?: number;
}

export interface FetchDiscoveryOptions {
  fetchImpl?: typeof fetch;
  /** Whole request, body included. */
  timeoutMs?: number;
  /** Office's discovery is about 1 MB; anything far bigger is not discovery. */
  maxBytes?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export function isHttpSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export async function fetchDiscoveryXml(
  source: string,
  opts: FetchDiscoveryOptions = {},
): Promise<FetchedDiscovery> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!isHttpSource(source)) return readDiscoveryFile(source, maxBytes);

  const fetchImpl = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchImpl(source, {
      signal: controller.signal,
      headers: { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1' },
      redirect: 'follow',
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new DiscoveryFetchError(
        'http-status',
        `${source} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}; check the discovery URL and that the WOPI client is running.`,
        res.status,
      );
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) throw tooLarge(source, declared, maxBytes);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxBytes) throw tooLarge(source, bytes.length, maxBytes);
    const xml = bytes.toString('utf8');
    checkLooksLikeXml(source, xml, res.headers.get('content-type'));
    return { xml, source, status: res.status };
  } catch (err) {
    if (err instanceof DiscoveryFetchError) throw err;
    throw classifyNetworkError(source, err, controller.signal.aborted, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

async function readDiscoveryFile(source: string, maxBytes: number): Promise<FetchedDiscovery> {
  const path = source.startsWith('file:') ? fileURLToPath(source) : source;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DiscoveryFetchError(
        'file-not-found',
        `Discovery file ${path} does not exist; check the path in discoveryUrl.`,
      );
    }
    throw new DiscoveryFetchError(
      'file-unreadable',
      `Discovery file ${path} cannot be read (${code ?? (err as Error).message}); check that it is a readable file.`,
    );
  }
  if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
  const xml = bytes.toString('utf8');
  checkLooksLikeXml(path, xml, null);
  return { xml, source };
}

/** A cheap sniff so an HTML login page or JSON error is reported as such, before parsing. */
function checkLooksLikeXml(source: string, text: string, contentType: string | null): void {
  const head = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 512)
    .toLowerCase();
  const type = contentType ? ` (Content-Type ${contentType.split(';')[0]})` : '';
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    throw new DiscoveryFetchError(
      'not-xml',
      `${source} returned an HTML page${type}, not discovery XML; a login page, proxy or wrong path is answering, so check the URL (it usually ends in /hosting/discovery).`,
    );
  }
  if (!head.startsWith('<')) {
    throw new DiscoveryFetchError(
      'not-xml',
      `${source} returned ${head ? 'something that is not XML' : 'an empty body'}${type}; check that the URL points at the WOPI client's discovery.`,
    );
  }
}

function tooLarge(source: string, size: number, max: number): DiscoveryFetchError {
  return new DiscoveryFetchError(
    'too-large',
    `${source} is ${size} bytes, more than the ${max}-byte limit for discovery; check that the URL points at discovery.`,
  );
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Turn fetch's generic "fetch failed" into a cause people recognise, by the codes in its cause chain. */
export function classifyNetworkError(
  source: string,
  err: unknown,
  aborted: boolean,
  timeoutMs: number,
): DiscoveryFetchError {
  const host = hostOf(source);
  const codes = collectCodes(err);
  const name = err instanceof Error ? err.name : '';
  if (
    aborted ||
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    codes.some((c) => TIMEOUT_CODES.has(c))
  ) {
    return new DiscoveryFetchError(
      'timeout',
      `No answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s; check that the WOPI client is up and reachable from this machine.`,
    );
  }
  const dns = codes.find((c) => DNS_CODES.has(c));
  if (dns) {
    return new DiscoveryFetchError(
      'dns',
      `The name ${host} does not resolve (${dns}); check the spelling of the discovery URL and this machine's DNS.`,
    );
  }
  const tls = codes.find(isTlsCode);
  if (tls) {
    return new DiscoveryFetchError(
      'tls',
      `The TLS connection to ${host} failed (${tls}); the certificate is not trusted or does not match, so fix the certificate or use a URL whose certificate is valid.`,
    );
  }
  const connect = codes.find((c) => CONNECT_CODES.has(c));
  return new DiscoveryFetchError(
    'connect',
    `Could not connect to ${host} (${connect ?? (err instanceof Error ? err.message : String(err))}); check that the WOPI client is running and the port is right.`,
  );
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    code.includes('CERT') ||
    code === 'EPROTO' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
  );
}

function collectCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 5) return [];
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => collectCodes(x, depth + 1)) : [];
  return [...own, ...collectCodes(e.cause, depth + 1), ...nested];
}

function hostOf(source: string): string {
  try {
    return new URL(source).host;
  } catch {
    return source;
  }
}
