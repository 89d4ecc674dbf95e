// Bodies for the uploads a fuzz case sends: their size (empty to past the upload limit) and how they go
// out (whole, chunked, trickling, stalling, cut short, with a wrong Content-Length), and so which bytes
// the host may store.
import { taggedBody } from './inputs';
import type { Draft, GenOptions } from './generator';
import type { Rng } from './rng';
import type { World } from './world';
import { sha256 } from './world';

function bodyFor(rng: Rng, tag: string, o: GenOptions): { body: Buffer; label: string } {
  const kind = rng.weighted<string>([
    ['empty', 2],
    ['small', 12],
    ['medium', 3],
    ['large', 1],
    ['over the upload limit', 0.4],
  ]);
  const size =
    kind === 'empty'
      ? 0
      : kind === 'small'
        ? rng.int(16, 4096)
        : kind === 'medium'
          ? rng.int(16 * 1024, 256 * 1024)
          : kind === 'large'
            ? rng.int(o.largeBodyBytes / 2, o.largeBodyBytes)
            : o.maxUploadBytes + rng.int(1, 64 * 1024);
  return { body: size === 0 ? Buffer.alloc(0) : taggedBody(rng, tag, size), label: `${kind} body` };
}

/** How the body goes out; returns the bytes the host would take as the body, or null when it must not. */
function deliver(rng: Rng, d: Draft): Buffer | null {
  const body = d.body ?? Buffer.alloc(0);
  const how = rng.weighted<string>([
    ['whole', 80],
    ['chunked', 5],
    ['trickle', body.length > 0 && body.length <= 64 * 1024 ? 5 : 0],
    ['short stall', body.length > 1 ? 1 : 0],
    ['hang up mid-body', body.length > 1 ? 4 : 0],
    ['Content-Length too small', body.length > 1 ? 1 : 0],
    ['Content-Length too large, then hang up', 1],
    ['Content-Length not a number', 1],
  ]);
  if (how !== 'whole') d.features.push(how);
  switch (how) {
    case 'chunked':
      d.chunked = true;
      return body;
    case 'trickle':
      d.delivery = { kind: 'trickle', chunk: Math.max(1, Math.ceil(body.length / 20)), everyMs: 50 };
      return body;
    case 'short stall':
      d.delivery = { kind: 'stall', after: Math.floor(body.length / 2), ms: 1500 };
      return body;
    case 'hang up mid-body':
      d.delivery = { kind: 'hang-up', after: rng.int(0, body.length - 1) };
      return null;
    case 'Content-Length too small': {
      const n = rng.int(1, body.length - 1);
      d.contentLength = n;
      // The rest arrives as a second, garbage request, which the parser refuses on its own; Node may
      // write that 400 before the answer to the first request.
      d.garbageAfter = true;
      return body.subarray(0, n);
    }
    case 'Content-Length too large, then hang up':
      d.contentLength = body.length + rng.int(1, 1000);
      d.delivery = { kind: 'hang-up', after: body.length };
      return null;
    case 'Content-Length not a number':
      d.contentLength = { text: rng.pick(['abc', '-1', '1e3', '+5', `${body.length}, ${body.length + 1}`]) };
      d.allowed = [400];
      d.basis = 'an unparseable Content-Length is refused by the HTTP parser';
      return null;
    default:
      return body;
  }
}

export function opBody(rng: Rng, d: Draft, world: World, o: GenOptions, n: number): void {
  const file = d.file!;
  const tag = `${d.op} ${file.label} #${n} seed ${world.rng.seed}`;
  const { body, label } = bodyFor(rng, tag, o);
  d.body = body;
  d.features.push(label);
  const over = body.length > o.maxUploadBytes;
  if (over) d.allowed = [...new Set([...d.allowed, 413])];
  const stored = deliver(rng, d);
  // PutFile refuses a declared oversize body before anything else; PutRelativeFile checks its names first.
  if (over && d.op === 'PutFile' && d.contentLength === undefined && !d.chunked) {
    d.allowed = [413];
    d.basis = 'a declared Content-Length over maxUploadBytes is refused before the body is read';
  }
  d.upload = stored
    ? { sha: sha256(stored), size: stored.length, applies: !over }
    : { sha: sha256(body), size: body.length, applies: false };
}
