// Request bodies with an idle limit. A client whose body stops arriving is cut after `idleMs` without a
// byte (like slow headers are by node's headersTimeout), so no upload can hang forever. Failures never
// destroy the request itself: that would take the socket, and with it the answer (408, 413, 400).
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { StorageError } from '../storage/errors';

/**
 * `req`'s body as a stream that fails with StorageError 'timeout' when no byte arrives for `idleMs`,
 * and 'aborted' when the client goes away first. Once it fails or is destroyed, the rest of the body is
 * drained and dropped, so a keep-alive connection is not left stuck in the middle of a request.
 */
export function guardedBody(req: IncomingMessage, idleMs: number): Readable {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      guard.destroy(
        new StorageError(
          'timeout',
          `no byte of the body arrived for ${idleMs} ms (bodyIdleTimeoutMs); the upload was cut and nothing was changed`,
        ),
      );
    }, idleMs).unref(); // never what keeps a stopping process alive
  };
  // Not `req.complete`: the parser may have received every byte while the request was still destroyed
  // before they were read (its socket closed, e.g. by a malformed request pipelined after it). Those
  // bytes are gone with it, and no 'end' will ever come: only a body read to its end is whole.
  const onGone = (): void => {
    if (!req.readableEnded)
      guard.destroy(new StorageError('aborted', 'the client went away before the body was read'));
  };
  const guard = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      arm();
      cb(null, chunk);
    },
    flush(cb) {
      clearTimeout(timer);
      cb();
    },
    destroy(err, cb) {
      clearTimeout(timer);
      req.off('error', onGone).off('close', onGone);
      req.unpipe(guard);
      if (!req.readableEnded) req.resume();
      cb(err);
    },
  });
  // The failure stays in the stream (`errored`) for whoever reads it, even one that starts later;
  // without a listener, a failure before that reader attached would be an uncaught error.
  guard.on('error', () => undefined);
  req.on('error', onGone).on('close', onGone);
  req.pipe(guard);
  arm();
  // Gone before the handler got here: its 'close' has already been emitted.
  if (req.destroyed) onGone();
  return guard;
}

/** The whole body if it is at most `limit` bytes, else null (the rest is not read). */
export async function readSmallBody(body: Readable, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
