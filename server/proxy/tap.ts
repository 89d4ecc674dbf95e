// A body summary made while the bytes stream past (never a second read, never a buffer of the whole
// body): size, SHA-256 for binary bodies, the text of JSON and text bodies up to a limit.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { BodySummary } from '../contracts/api';

export interface Tap {
  /** Called with every chunk as it passes. */
  take(chunk: Buffer): void;
  summary(): BodySummary | undefined;
}

export function createTap(opts: { contentType: string | undefined; text: boolean; keep: number }): Tap {
  let size = 0;
  const hash: Hash | undefined = opts.text ? undefined : createHash('sha256');
  const kept: Buffer[] = [];
  let keptBytes = 0;
  return {
    take(chunk) {
      size += chunk.length;
      if (hash) hash.update(chunk);
      else if (keptBytes < opts.keep) {
        const part = chunk.length <= opts.keep - keptBytes ? chunk : chunk.subarray(0, opts.keep - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
    },
    summary() {
      if (size === 0 && !opts.contentType) return undefined;
      const out: BodySummary = { size };
      if (opts.contentType) out.contentType = opts.contentType;
      if (hash) out.sha256 = hash.digest('hex');
      else {
        out.text = Buffer.concat(kept).toString('utf8');
        if (size > keptBytes) out.truncated = true;
      }
      return out;
    },
  };
}
