// Reading an SSE response in tests: the stream split into its blocks (one event or comment each), so
// a test asserts on frames as sent, with ids and comments intact.
import type { IncomingMessage } from 'node:http';

/** Calls `onBlock` for each complete block; `afterChunk` once per chunk, after its blocks. */
export function onSseBlocks(
  res: IncomingMessage,
  onBlock: (block: string) => void,
  afterChunk?: () => void,
): void {
  let buf = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buf += chunk;
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      onBlock(block);
    }
    afterChunk?.();
  });
}
