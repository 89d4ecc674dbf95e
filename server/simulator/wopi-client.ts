// One signed WOPI request, sent the way Office sends it: token in the query, Bearer header,
// correlation id, and X-WOPI-Proof/ProofOld/TimeStamp over the URL it calls. Misbehaviours bend
// exactly one rule each, so a host's answer to each can be checked (PROTOCOL §8.3, §8.6).
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { nowTicks, signProof } from '../proof/sign';

export const MISBEHAVIOURS = [
  'wrong-lock',
  'expired-timestamp',
  'wrong-url',
  'unsigned',
  'bad-signature',
  'proof-old-key',
  'proofold-old-key',
  'proofold-current-key',
] as const;

export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

/** What each one does, for the UI, the CLI and error messages. */
export const MISBEHAVIOUR_HELP: Record<Misbehaviour, string> = {
  'wrong-lock': 'PutFile with a lock id other than the one it locked with (expect 409 + X-WOPI-Lock)',
  'expired-timestamp': 'X-WOPI-TimeStamp 21 minutes old, correctly signed (expect 500)',
  'wrong-url': 'signs the URL with http/https swapped, as behind a TLS-terminating proxy (expect 500)',
  unsigned: 'sends no proof headers at all (expect 500 when proofs are enforced)',
  'bad-signature': 'X-WOPI-Proof and X-WOPI-ProofOld both signed over other data (expect 500)',
  'proof-old-key': 'X-WOPI-Proof signed with the old key only (accepted; the host should refresh discovery)',
  'proofold-old-key':
    'only X-WOPI-ProofOld verifies, with the old key: a combination WOPI forbids (expect 500)',
  'proofold-current-key':
    'X-WOPI-Proof from a key not yet in discovery, X-WOPI-ProofOld with the current key (accepted; refresh)',
};

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';
  constructor(
    readonly code: 'bad-misbehaviour' | 'no-old-key' | 'bad-request' | 'not-found',
    message: string,
  ) {
    super(message);
  }
}

export function parseMisbehaviours(text: string | readonly string[] | null | undefined): Misbehaviour[] {
  const items = (typeof text === 'string' ? text.split(',') : (text ?? []))
    .map((s) => s.trim())
    .filter(Boolean);
  return items.map((item) => {
    if (!(MISBEHAVIOURS as readonly string[]).includes(item)) {
      throw new SimulatorError(
        'bad-misbehaviour',
        `unknown misbehaviour "${item}"; use one of: ${MISBEHAVIOURS.join(', ')}`,
      );
    }
    return item as Misbehaviour;
  });
}

export interface SigningKeys {
  current: KeyObject;
  old: KeyObject | null;
  /** A key the host cannot know (what Office signs with right after rotating). */
  unpublished: () => Promise<KeyObject>;
}

export const EXPIRED_AGE_MS = 21 * 60_000;

function swapScheme(url: string): string {
  return url.startsWith('https:') ? `http:${url.slice(6)}` : url.replace(/^http:/, 'https:');
}

/** Describes which proof headers were sent, for the session log. */
export type ProofSent = Record<string, string> & { description: string };

export async function proofHeaders(p: {
  url: string;
  accessToken: string;
  now: number;
  keys: SigningKeys;
  misbehave: ReadonlySet<Misbehaviour>;
  /** Sign this URL instead of the called one (a client behind a rewriting proxy). */
  signUrl?: string;
}): Promise<ProofSent> {
  const m = p.misbehave;
  if (m.has('unsigned')) return { description: 'unsigned (no proof headers)' };
  const ts = nowTicks(m.has('expired-timestamp') ? p.now - EXPIRED_AGE_MS : p.now);
  const url = p.signUrl ?? (m.has('wrong-url') ? swapScheme(p.url) : p.url);
  const payload = { accessToken: p.accessToken, url, timestampTicks: ts };
  const other = { ...payload, url: `${url}&tampered=1` };
  const needOld = m.has('proof-old-key') || m.has('proofold-old-key');
  if (needOld && !p.keys.old) {
    throw new SimulatorError(
      'no-old-key',
      'the simulator has no old proof key yet: rotate its key first (then refresh discovery) to try old-key signatures',
    );
  }
  const old = p.keys.old;
  let proof: string;
  let proofOld: string | undefined;
  let description: string;
  if (m.has('bad-signature')) {
    proof = signProof(p.keys.current, other);
    proofOld = signProof(old ?? p.keys.current, other);
    description = 'Proof and ProofOld signed over other data';
  } else if (m.has('proof-old-key') && old) {
    proof = signProof(old, payload);
    proofOld = signProof(p.keys.current, other);
    description = 'Proof signed with the old key';
  } else if (m.has('proofold-old-key') && old) {
    proof = signProof(p.keys.current, other);
    proofOld = signProof(old, payload);
    description = 'only ProofOld valid, signed with the old key';
  } else if (m.has('proofold-current-key')) {
    proof = signProof(await p.keys.unpublished(), payload);
    proofOld = signProof(p.keys.current, payload);
    description = 'Proof from an unpublished key, ProofOld with the current key';
  } else {
    proof = signProof(p.keys.current, payload);
    proofOld = old ? signProof(old, payload) : undefined;
    description = old ? 'Proof (current key) + ProofOld (old key)' : 'Proof (current key)';
  }
  if (url !== p.url) description += `, signed for ${url}`;
  if (m.has('expired-timestamp')) description += ', timestamp 21 min old';
  const headers: ProofSent = { description, 'X-WOPI-Proof': proof, 'X-WOPI-TimeStamp': ts.toString() };
  if (proofOld !== undefined) headers['X-WOPI-ProofOld'] = proofOld;
  return headers;
}

/** Where to really connect for a URL (e.g. straight to the local listener instead of through a tunnel). */
export type ConnectFn = (url: string) => { url: string; headers?: Record<string, string> };

export interface WopiReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export const REQUEST_TIMEOUT_MS = 30_000;
const MAX_REPLY_BYTES = 512 * 1024 * 1024;

export function sendHttp(p: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  connect?: ConnectFn;
  timeoutMs?: number;
}): Promise<WopiReply> {
  const target = p.connect ? p.connect(p.url) : { url: p.url };
  const u = new URL(target.url);
  const headers: Record<string, string> = { ...p.headers, ...(target.headers ?? {}) };
  if (p.method === 'POST') headers['Content-Length'] = String(p.body?.length ?? 0);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        hostname: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: p.method,
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_REPLY_BYTES) req.destroy(new Error(`response larger than ${MAX_REPLY_BYTES} bytes`));
          else chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(p.timeoutMs ?? REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer from ${u.origin} within ${p.timeoutMs ?? REQUEST_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end(p.body);
  });
}

/** `<wopiSrc><suffix>?access_token=…`, keeping any query the host put on the WOPISrc. */
export function wopiUrl(wopiSrc: string, suffix: string, accessToken: string): string {
  const q = wopiSrc.indexOf('?');
  const base = q >= 0 ? wopiSrc.slice(0, q) : wopiSrc;
  const query = q >= 0 ? `${wopiSrc.slice(q + 1)}&` : '';
  return `${base}${suffix}?${query}access_token=${encodeURIComponent(accessToken)}`;
}

export function newCorrelationId(): string {
  return randomUUID();
}
