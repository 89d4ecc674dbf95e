// Fault rules in proxy mode (`serve --upstream`): a workbench proxies to another workbench's host (both
// real, port 0). A status rule is answered by the proxy (the upstream never sees the request), latency
// forwards late, a dropped connection gets no answer; each record is the proxy's, tagged. Rules for a
// persona (unknown to the proxy) and effects the proxy cannot apply neither fire nor count there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { makeRoot, nextEvent, startEngine } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import type { WopiTarget } from '../helpers/wopi-client';
import { checkFileInfo, expectStatus, getFile } from '../helpers/wopi-client';

let host: EngineBench;
let proxy: EngineBench;
let viaProxy: WopiTarget;
let fileId: string;

before(async () => {
  host = await startEngine(await makeRoot('wb-proxy-faults-host-', { 'a.docx': 'upstream bytes' }));
  proxy = await startEngine(await makeRoot('wb-proxy-faults-proxy-'), { upstream: host.engine.wopiUrl() });
  fileId = await host.idOf('a.docx');
  const t = host.target(fileId);
  viaProxy = { wopiSrc: `${proxy.engine.wopiUrl()}/wopi/files/${fileId}`, accessToken: t.accessToken };
});
after(async () => {
  await proxy?.dispose();
  await host?.dispose();
});

const proxied = (): Promise<RequestRecord> =>
  nextEvent(proxy.engine, 'request:completed', (r) => r.source === 'proxy' && r.fileId === fileId).then(
    (e) => e.data,
  );

void describe('fault rules through the proxy', () => {
  void it('a status rule is answered by the proxy; the upstream never sees the request', async () => {
    const rule = await proxy.engine.api.addFault({
      match: { operations: ['CheckFileInfo'] },
      effect: { kind: 'status', status: 503, retryAfterSeconds: 7 },
    });
    const before = host.engine.requestLog.count();
    const seen = proxied();
    const res = await checkFileInfo(viaProxy);
    expectStatus(res, 503);
    assert.equal(res.header('retry-after'), '7');
    const rec = await seen;
    assert.equal(rec.fault?.ruleId, rule.id);
    assert.equal(rec.status, 503);
    assert.equal(host.engine.requestLog.count(), before, 'nothing reached the upstream');
    // Another operation goes through to the upstream.
    const body = await getFile(viaProxy);
    expectStatus(body, 200);
    assert.equal(body.text, 'upstream bytes');
    await proxy.engine.api.clearFaults();
  });

  void it('latency forwards late and tags the forwarded record; a drop gets no answer', async () => {
    const rule = await proxy.engine.api.addFault({
      match: { operations: ['GetFile'] },
      fire: { mode: 'next', count: 1 },
      effect: { kind: 'latency', ms: 50 },
    });
    const seen = proxied();
    const res = await getFile(viaProxy);
    expectStatus(res, 200);
    assert.equal(res.text, 'upstream bytes');
    const rec = await seen;
    assert.equal(rec.fault?.ruleId, rule.id);
    assert.equal(rec.fault?.effect, 'latency');
    assert.ok(rec.upstream, 'the record is the forwarded exchange');
    await proxy.engine.api.clearFaults();

    await proxy.engine.api.addFault({
      fire: { mode: 'next', count: 1 },
      effect: { kind: 'drop-connection' },
    });
    const dropped = proxied();
    await assert.rejects(checkFileInfo(viaProxy));
    assert.equal((await dropped).status, 0);
    expectStatus(await checkFileInfo(viaProxy), 200);
    await proxy.engine.api.clearFaults();
  });

  void it('persona rules and body effects neither fire nor count in the proxy', async () => {
    const persona = await proxy.engine.api.addFault({
      match: { personaId: 'editor' },
      effect: { kind: 'status', status: 404 },
    });
    const throttle = await proxy.engine.api.addFault({ effect: { kind: 'throttle', bytesPerSecond: 10 } });
    const res = await getFile(viaProxy);
    expectStatus(res, 200);
    assert.equal(res.text, 'upstream bytes');
    const rules = await proxy.engine.api.faults();
    for (const id of [persona.id, throttle.id]) {
      const r = rules.find((x) => x.id === id)!;
      assert.deepEqual([r.matched, r.hits], [0, 0]);
    }
    await proxy.engine.api.clearFaults();
  });
});
