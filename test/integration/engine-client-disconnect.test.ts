// A client that hangs up in the middle of a GetFile is the client's doing: the request record says it
// disconnected, and the engine raises no internal warning (the inspector turns those into error toasts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { describe, it } from 'node:test';
import type { EventEnvelope } from '../../server/contracts/events';
import { engineForSuite, nextEvent } from '../helpers/engine-fixture';

const SIZE = 64 * 1024 * 1024; // far more than socket buffers hold, so the body is still streaming

describe('a client that disconnects mid-download', () => {
  const b = engineForSuite('wb-disconnect-', { 'big.bin': randomBytes(SIZE) });

  it('is recorded as a disconnect, not reported as an engine warning', async () => {
    const t = b.target(await b.idOf('big.bin'));
    const warnings: EventEnvelope<'engine:warning'>[] = [];
    const off = b.engine.bus.on('engine:warning', (e) => warnings.push(e));
    try {
      const done = nextEvent(b.engine, 'request:completed', (r) => r.operation === 'GetFile');
      const url = new URL(`${t.wopiSrc}/contents?access_token=${t.accessToken}`);
      let received = 0;
      await new Promise<void>((resolve, reject) => {
        const req = http.get(url, (res) => {
          assert.equal(res.statusCode, 200);
          res.on('data', (chunk: Buffer) => {
            received += chunk.length;
            // Hang up after the first megabyte, like a browser tab closed mid-download.
            if (received >= 1024 * 1024 && !req.destroyed) {
              req.destroy();
              resolve();
            }
          });
        });
        req.on('error', (e) => {
          if (!req.destroyed) reject(e);
        });
      });
      const rec = (await done).data;
      assert.ok(received < SIZE, 'the download was cut short');
      assert.match(rec.why ?? '', /disconnected/);
      // The failed pipeline settles right after the close; give it a few turns to (wrongly) warn.
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        warnings.map((w) => w.data.message),
        [],
        'a client hang-up must not surface as an engine warning',
      );
    } finally {
      off();
    }
  });
});
