// No secret of the upstream host leaves a proxy run in clear. Its tokens have that host's shape, not
// ours, so they are found by value: an upstream that echoes the token everywhere (a CheckFileInfo
// URL under another parameter name, a header, an error text, a PutRelativeFile Url with a fresh
// token the client then uses, a Bearer header) is walked at every exit, generically, every key and
// string: every GET route of the control contract, the SSE stream live and replayed, and every
// console line of the printer in JSON and human form. One record revealed on purpose shows them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attachPrinter } from '../../server/cli/printer';
import { startWiredEngine } from '../helpers/engine-fixture';
import type { WiredBench } from '../helpers/engine-fixture';
import { startEchoUpstream } from '../helpers/echo-upstream';
import type { EchoUpstream } from '../helpers/echo-upstream';
import { control, leaksIn, openStream, parsed, walkControlApi, walkFrames } from '../helpers/secrets-walk';
import type { Run, SseStream } from '../helpers/secrets-walk';
import { sendRequest } from '../helpers/wopi-client';

// Their host's shape: nothing like ours (no wb1/ln1/hs1 prefix), with characters that need escaping.
const TOKEN = 'UpStream.Secret~Token_7f3a9c41d2e8b605';
const FRESH = 'Fresh-Token-For-The-Copy-b1c2d3e4f5a6';

void describe('no secret of the upstream host leaves a proxy run in clear', () => {
  let up: EchoUpstream;
  let bench: WiredBench;
  let run: Run;
  let live: SseStream;
  const json: string[] = [];
  const human: string[] = [];
  const needles = [TOKEN, FRESH, encodeURIComponent(FRESH)];
  const printers: Array<ReturnType<typeof attachPrinter>> = [];

  before(async () => {
    up = await startEchoUpstream((req, res) => {
      req.resume();
      const url = req.url ?? '';
      const override = req.headers['x-wopi-override'];
      if (override === 'PUT_RELATIVE') {
        const body = JSON.stringify({
          Name: 'Copy.docx',
          Url: `${up.url}/wopi/files/copy?access_token=${FRESH}`,
        });
        res.writeHead(200, { 'content-type': 'application/json', 'x-echo': TOKEN }).end(body);
        return;
      }
      if (override === 'LOCK') {
        res.writeHead(500, { 'x-wopi-servererror': `lock store refused token ${TOKEN}` }).end();
        return;
      }
      const token = url.includes(FRESH) ? FRESH : TOKEN;
      const body = JSON.stringify({
        BaseFileName: 'Doc.docx',
        OwnerId: 'o',
        Size: 1,
        UserId: 'u',
        UserFriendlyName: 'U',
        Version: '1',
        FileUrl: `${up.url}/download?t=${token}`,
        HostViewUrl: `${up.url}/view#${token}`,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-echo': token }).end(body);
    });
    bench = await startWiredEngine({
      prefix: 'wb-leaks-proxy-',
      files: {},
      engine: { upstream: up.url },
      beforeStart: (wb) => {
        printers.push(
          attachPrinter(wb, { json: true, quiet: false, write: (l) => json.push(l) }),
          attachPrinter(wb, { json: false, quiet: false, write: (l) => human.push(l) }),
        );
      },
    });
    const { wb } = bench;
    // The printers hold lines until the ready block; the ready block itself is not under test here.
    for (const [p, lines] of [
      [printers[0]!, json],
      [printers[1]!, human],
    ] as const) {
      const n = lines.length;
      p.ready(
        {
          wopiUrl: wb.wopiUrl(),
          controlUrl: wb.controlUrl(),
          controlToken: wb.controlToken,
          uiUrl: wb.uiUrl(),
          publicUrl: wb.publicBase(),
        },
        { tunnel: null, sampleCopy: false },
      );
      lines.splice(n);
    }
    run = {
      wopiUrl: wb.wopiUrl(),
      controlUrl: wb.controlUrl(),
      controlToken: wb.controlToken,
      dataDir: path.join(bench.root, 'data'),
    };
    live = await openStream(run);
    const base = `${run.wopiUrl}/wopi/files/doc1`;
    const q = `?access_token=${encodeURIComponent(TOKEN)}&access_token_ttl=0`;
    const bearer = { Authorization: `Bearer ${TOKEN}` };
    await sendRequest({ method: 'GET', url: base + q, headers: bearer });
    await sendRequest({
      method: 'POST',
      url: base + q,
      headers: { ...bearer, 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'L' },
    });
    const copy = await sendRequest({
      method: 'POST',
      url: base + q,
      headers: { ...bearer, 'X-WOPI-Override': 'PUT_RELATIVE', 'X-WOPI-SuggestedTarget': '.docx' },
      body: 'copy bytes',
    });
    const next = new URL(copy.json()['Url'] as string);
    await sendRequest({ method: 'GET', url: `${run.wopiUrl}${next.pathname}${next.search}` });
    // Bodies and headers of the traffic itself would be the upstream's to show; only our exits count.
    assert.ok(up.seen.length >= 4);
  });
  after(async () => {
    live?.close();
    await bench?.dispose();
    await up?.close();
  });

  void it('the traffic really carried the tokens through the proxy (so finding none below means something)', async () => {
    const clear = await control(run)('GET', '/v1/requests?limit=10');
    const ids = (JSON.parse(clear.text) as { items: Array<{ id: string }> }).items.map((r) => r.id);
    let seen = '';
    for (const id of ids) seen += (await control(run)('GET', `/v1/requests/${id}?reveal=1`)).text;
    for (const n of [TOKEN, FRESH]) assert.ok(seen.includes(n), `a revealed record shows ${n.slice(0, 8)}…`);
  });

  void it('every answer of every GET route holds none of them', async () => {
    const { leaks, ids } = await walkControlApi(run, needles);
    assert.ok(ids.length >= 4, `requests logged: ${ids.length}`);
    assert.deepEqual(leaks, []);
  });

  void it('every SSE frame, live and replayed, holds none of them', async () => {
    const status = JSON.parse((await control(run)('GET', '/v1/status')).text) as { lastSeq: number };
    const replay = await openStream(run, '0');
    try {
      await live.reach(status.lastSeq);
      await replay.reach(status.lastSeq);
      const a = walkFrames(live.frames, needles, 'live');
      const b = walkFrames(replay.frames, needles, 'replayed');
      assert.ok(b.types.has('request:completed'));
      assert.deepEqual([...a.leaks, ...b.leaks], []);
    } finally {
      replay.close();
    }
  });

  void it('every console line, JSON and human, holds none of them', () => {
    assert.ok(json.length >= 4 && human.length >= 4, `${json.length} / ${human.length} lines`);
    const leaks = [
      ...json.flatMap((l, i) => leaksIn(parsed(l), needles, `json line ${i}`)),
      ...human.flatMap((l, i) => leaksIn(l, needles, `human line ${i}`)),
    ];
    assert.deepEqual(leaks, []);
  });
});
