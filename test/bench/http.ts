// The bench's own HTTP client (keep-alive, body streamed from a file) and its sized test files.
import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import { MB } from './common';

const agent = new http.Agent({ keepAlive: true });

export function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; bodyFile?: string; bodySize?: number } = {},
): Promise<{ status: number; bytes: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const headers = { ...opts.headers };
    if (opts.method === 'POST') headers['content-length'] = String(opts.bodySize ?? 0);
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent }, (res) => {
      let bytes = 0;
      const keep: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes <= 64 * 1024) keep.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          ms: performance.now() - t0,
          text: Buffer.concat(keep).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.bodyFile) createReadStream(opts.bodyFile, { highWaterMark: MB }).pipe(req);
    else req.end();
  });
}

export async function writeSized(file: string, sizeMb: number, seed: string): Promise<void> {
  const block = Buffer.alloc(MB, seed);
  const out = createWriteStream(file);
  for (let i = 0; i < sizeMb; i++) {
    block.writeUInt32BE(i, 0);
    if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
