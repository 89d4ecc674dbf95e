// Rules about any operation: what is not supported is 501, what is not found is 404 (never 500),
// answers within Office's timeout, and access tokens that survive proof-key URL matching.
import { proofFailed, rawQueryParam } from '../exchange';
import type { Exchange } from '../exchange';
import type { LintRule } from '../types';

/**
 * Every X-WOPI-Override value the protocol documents (PROTOCOL §2, with the CSPP Plus and [MS-WOPI]
 * ones): a host may support any of them; a value outside this list names no operation at all.
 */
const KNOWN_OVERRIDES: ReadonlySet<string> = new Set([
  'PUT',
  'LOCK',
  'GET_LOCK',
  'REFRESH_LOCK',
  'UNLOCK',
  'PUT_RELATIVE',
  'RENAME_FILE',
  'DELETE',
  'PUT_USER_INFO',
  'GET_SHARE_URL',
  'ADD_ACTIVITIES',
  'CREATE_CHILD_CONTAINER',
  'CREATE_CHILD_FILE',
  'DELETE_CONTAINER',
  'RENAME_CONTAINER',
  'GET_WOPI_SRC_WITH_ACCESS_TOKEN',
  'GET_COAUTH_LOCK',
  'REFRESH_COAUTH_LOCK',
  'UNLOCK_COAUTH_LOCK',
  'GET_COAUTH_TABLE',
  'GET_CHUNKED_FILE',
  'PUT_CHUNKED_FILE',
  'GET_SEQUENCE_NUMBER',
  'GET_FILE_USER_VALUE',
  'COBALT',
  'GET_RESTRICTED_LINK',
  'REVOKE_RESTRICTED_LINK',
  'READ_SECURE_STORE',
  'GET_NEW_ACCESS_TOKEN',
  'GET_ROOT_CONTAINER',
]);

/** Office for the web's only documented WOPI timeout: a GetFile download gets 60 seconds (§3.2). */
export const GETFILE_TIMEOUT_MS = 60_000;

/** RFC 3986 unreserved characters: the only ones every reading of a signed URL leaves alone (PITFALLS #3). */
const URL_SAFE = /^[A-Za-z0-9._~-]*$/;

const isServerError = (x: Exchange): boolean => x.status >= 500 && x.status !== 501;

const unknownOverride: LintRule = {
  id: 'unknown-override-accepted',
  severity: 'error',
  doc: 'An X-WOPI-Override the protocol does not define is answered 501 (not supported), never 2xx.',
  cite: 'PROTOCOL.md §1.6, §2, §13 item 1',
  check({ x }) {
    // GET operations take no override: only a POST names its operation with one.
    const o = x.rec.override ?? x.reqHeader('x-wopi-override');
    if (o === undefined || x.rec.method.toUpperCase() !== 'POST' || x.status < 200 || x.status >= 300)
      return undefined;
    const name = o.trim().toUpperCase();
    if (KNOWN_OVERRIDES.has(name)) return undefined;
    return `X-WOPI-Override ${JSON.stringify(o.slice(0, 40))} names no WOPI operation but was answered ${x.status}: 501 is due, and a client that probes for an operation takes the 2xx as "supported" and relies on it.`;
  },
};

const unknownFile: LintRule = {
  id: 'unknown-file-server-error',
  severity: 'error',
  doc: 'CheckFileInfo for a file id the host does not know answers 404, never 5xx (judged for ids never answered 2xx before).',
  cite: 'PROTOCOL.md §1.3, §1.6, §3.1; PITFALLS.md section F',
  check({ x, before }) {
    if (x.op !== 'CheckFileInfo' || !isServerError(x) || before.answered || proofFailed(x.rec))
      return undefined;
    return `CheckFileInfo answered ${x.status} for a file id never answered 2xx before: most likely an unknown id, for which 404 is due; Office treats a 5xx as a server fault and shows "Sorry, there was a problem" instead of "file not found".`;
  },
};

const serverError: LintRule = {
  id: 'server-error',
  severity: 'warning',
  doc: 'A 5xx other than 501 (and other than a failed proof check, which must be 500) is a fault in the host.',
  cite: 'PROTOCOL.md §1.5, §1.6',
  check({ x, before }) {
    if (!isServerError(x) || proofFailed(x.rec)) return undefined;
    // The unknown-file rule already says this, more precisely.
    if (x.op === 'CheckFileInfo' && !before.answered) return undefined;
    const detail =
      x.resHeader('x-wopi-servererror') === undefined ? ' (and sent no X-WOPI-ServerError saying why)' : '';
    return `${x.op} answered ${x.status}${detail}: Office shows a generic error and, for a save, may retry or end the session.`;
  },
};

const slowGetFile: LintRule = {
  id: 'getfile-slower-than-timeout',
  severity: 'error',
  doc: `GetFile completes within Office for the web's ${GETFILE_TIMEOUT_MS / 1000}-second download timeout (its only documented WOPI timeout).`,
  cite: 'PROTOCOL.md §3.2, §7 (Online docs faq/file_sizes.rst)',
  check({ x }) {
    if (x.op !== 'GetFile' || x.rec.durationMs <= GETFILE_TIMEOUT_MS) return undefined;
    return `GetFile took ${(x.rec.durationMs / 1000).toFixed(1)} s: Office for the web stops a download after ${GETFILE_TIMEOUT_MS / 1000} s and fails to open the file.`;
  },
};

const tokenChars: LintRule = {
  id: 'token-breaks-proof-url',
  severity: 'warning',
  doc: 'Access tokens the host accepts use only A-Z a-z 0-9 - . _ ~, so the signed URL reads the same however a client escapes it (reported once per token).',
  cite: 'PITFALLS.md #3; PROTOCOL.md §8.2',
  check({ x, tokenReported }) {
    // Judged only on a token the host accepted: a client may send anything, the host mints what it takes.
    if (x.status < 200 || x.status >= 300) return undefined;
    const raw = rawQueryParam(x.rec.query, 'access_token');
    if (raw === undefined || URL_SAFE.test(raw) || tokenReported(raw)) return undefined;
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      decoded = undefined;
    }
    // Which characters, never the token itself (it is a secret).
    const odd = [...new Set([...(decoded ?? raw)].filter((c) => !URL_SAFE.test(c)))]
      .slice(0, 8)
      .map((c) => JSON.stringify(c))
      .join(' ');
    const how =
      decoded === undefined
        ? 'is not valid percent-encoding'
        : `holds ${odd || 'percent-escapes'}${decoded !== raw ? ' (percent-escaped in the URL)' : ''}`;
    return `The access token ${how}: Office signs the URL with its own escaping of these characters, so proof-key checks of this token fail on hosts that re-encode or decode it (mint tokens from A-Z a-z 0-9 - . _ ~ only).`;
  },
};

export const GENERAL_RULES: readonly LintRule[] = [
  unknownOverride,
  unknownFile,
  serverError,
  slowGetFile,
  tokenChars,
];
