// Shutdown ends every SSE stream first; an event emitted by a later shutdown step (the tunnel room
// announcing it is off) must not be written to an ended response: that used to throw
// ERR_STREAM_WRITE_AFTER_END as an unhandled 'error' and kill the process (seen with an inspector open).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createEventStreams } from '../../server/control/sse';
import { createEventBus } from '../../server/events/bus';

describe('SSE streams at shutdown', () => {
  it('closeAll ends every stream and unsubscribes it at once: later events are not written', async () => {
    const bus = createEventBus({ now: () => 1 });
    const streams = createEventStreams(bus);
    const server = http.createServer((req, res) =>
      streams.serve(req, res, new URL(req.url ?? '/', 'http://x').searchParams),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const crashes: unknown[] = [];
    const onCrash = (e: unknown): void => void crashes.push(e);
    process.on('uncaughtException', onCrash);
    try {
      const { port } = server.address() as AddressInfo;
      const body = new Promise<string>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${port}/v1/events`, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve(text));
            res.on('error', reject);
          })
          .on('error', reject);
      });
      while (streams.count() === 0) await new Promise((r) => setTimeout(r, 5));
      bus.emit('engine:warning', { code: 'before', message: 'live' });

      streams.closeAll();
      assert.equal(streams.count(), 0, 'closed streams are forgotten right away');
      bus.emit('tunnel:changed', { provider: 'none', status: 'off', since: 1, warnings: [] });
      const text = await body;
      await new Promise((r) => setTimeout(r, 20));

      assert.deepEqual(crashes, []);
      assert.match(text, /event: engine:warning/);
      assert.doesNotMatch(text, /tunnel:changed/);
    } finally {
      process.off('uncaughtException', onCrash);
      await new Promise((r) => server.close(r));
    }
  });
});
