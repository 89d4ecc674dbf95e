// Who may talk to the control listener. Binding 127.0.0.1 keeps other machines out; these checks keep
// out web pages in the person's own browser:
// - Host must name loopback on our port, so a DNS-rebound name (evil.example -> 127.0.0.1) is refused;
// - a present Origin must be ours, so cross-site fetches and form posts are refused;
// - every /v1 call needs the per-run token, compared in constant time (the 401 carries its
//   WWW-Authenticate challenge from the error middleware);
// - each of those three headers at most once: node:http keeps the first Host or Authorization and
//   joins Origins, so a second copy would be judged by a rule the sender can choose.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiModelError } from '../api';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

/** The port the request arrived on (the control listener's own port). */
const localPortOf = (req: IncomingMessage): number => req.socket.localPort ?? 0;

function allowedOrigins(port: number): string[] {
  return LOOPBACK_NAMES.map((name) => `http://${name}:${port}`);
}

/** Headers the checks below read: a request carrying one of them twice is refused, not guessed at. */
const SINGLE_HEADERS: readonly string[] = ['host', 'origin', 'authorization'];

export function checkSingleHeaders(req: IncomingMessage): void {
  const raw = req.rawHeaders;
  const seen = new Map<string, number>();
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (SINGLE_HEADERS.includes(name)) seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  for (const [name, count] of seen) {
    if (count > 1) {
      throw new ApiModelError(
        'bad-request',
        `the request carries ${count} ${name} headers; send exactly one (the control API refuses ambiguous requests)`,
      );
    }
  }
}

export function checkHost(req: IncomingMessage): void {
  const port = localPortOf(req);
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (!LOOPBACK_NAMES.some((name) => host === `${name}:${port}`)) {
    throw new ApiModelError(
      'forbidden',
      `Host "${req.headers.host ?? ''}" is not this control listener; use http://127.0.0.1:${port} (DNS-rebinding defence)`,
    );
  }
}

export function checkOrigin(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin === undefined) return; // same-origin GETs and non-browser clients send none
  const port = localPortOf(req);
  if (!allowedOrigins(port).includes(origin.toLowerCase())) {
    throw new ApiModelError(
      'forbidden',
      `requests from origin "${origin}" are not accepted by the control API`,
    );
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function checkToken(req: IncomingMessage, controlToken: string): void {
  const auth = req.headers.authorization;
  const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (!m) {
    throw new ApiModelError('unauthorized', 'send the control token as Authorization: Bearer <token>');
  }
  // Hashing first gives equal-length inputs, so the comparison time says nothing about the token.
  if (!timingSafeEqual(digest(m[1]!), digest(controlToken))) {
    throw new ApiModelError('unauthorized', 'the control token is not the one this run printed');
  }
}
