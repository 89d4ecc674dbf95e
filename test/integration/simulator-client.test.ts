// The simulated WOPI client over HTTP: its discovery and proof key (kept 0600, rotated Office's
// way), its action pages (form POST only), and the per-session API driving real WOPI traffic
// against a real engine, including create-new on an empty Office file and misbehaviour on request.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseDiscovery } from '../../server/discovery/parse';
import { importProofKeys } from '../../server/proof/keys';
import { createSimulator } from '../../server/simulator';
import { SIMULATOR_KEY_FILE } from '../../server/simulator/keys';
import { readZip } from '../../server/simulator/ooxml/zip';
import { forSuite, startWiredEngine } from '../helpers/engine-fixture';

describe('simulator discovery and keys', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wb-sim-keys-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('discovery lists the apps and actions with Office-style placeholders and the proof key', async () => {
    const sim = createSimulator({ dataDir, clock: Date.now });
    await sim.start();
    try {
      const res = await fetch(sim.discoveryUrl());
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /xml/);
      const xml = await res.text();
      const d = parseDiscovery(xml);
      assert.equal(d.zone.name, 'external-http');
      assert.deepEqual(
        d.zone.apps.map((a) => a.name),
        ['Word', 'Excel', 'PowerPoint', 'WopiTest', 'Text'],
      );
      const word = d.zone.apps[0]!;
      assert.deepEqual(
        word.actions.map((a) => a.name),
        ['view', 'edit', 'editnew', 'embedview'],
      );
      assert.equal(word.favIconUrl, `${sim.origin()}/sim/favicon/word.svg`);
      const edit = word.actions.find((a) => a.name === 'edit')!;
      assert.deepEqual(edit.requires, ['locks', 'update']);
      assert.ok(edit.urlsrc.startsWith(`${sim.origin()}/sim/word/edit?`));
      assert.ok(
        edit.urlsrc.includes('<ui=UI_LLCC&>') && edit.urlsrc.includes('<wopisrc=WOPI_SOURCE&>'),
        edit.urlsrc,
      );
      assert.ok(
        d.zone.apps.find((a) => a.name === 'Text')!.actions.some((a) => a.ext === 'txt' && a.name === 'edit'),
      );
      const keys = importProofKeys(d.proofKey);
      assert.equal(keys.current?.fingerprint, sim.fingerprints().current);
      assert.equal(keys.current?.warning, undefined, 'CSP blob and modulus/exponent agree');
      assert.equal(keys.old, null, 'no old key before a rotation');
      const icon = await fetch(word.favIconUrl!);
      assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
    } finally {
      await sim.stop();
    }
  });

  test('the key is kept in a 0600 file, survives restarts, and rotation keeps the previous one as old', async () => {
    const file = path.join(dataDir, SIMULATOR_KEY_FILE);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const again = createSimulator({ dataDir, clock: Date.now });
    await again.start();
    try {
      const first = again.fingerprints().current;
      assert.ok(first);
      await again.rotateKey();
      assert.equal(again.fingerprints().old, first);
      assert.notEqual(again.fingerprints().current, first);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const keys = importProofKeys(parseDiscovery(await (await fetch(again.discoveryUrl())).text()).proofKey);
      assert.equal(keys.current?.fingerprint, again.fingerprints().current);
      assert.equal(keys.old?.fingerprint, first);
    } finally {
      await again.stop();
    }
    const third = createSimulator({ dataDir, clock: Date.now });
    await third.start();
    const fp = third.fingerprints();
    await third.stop();
    assert.equal(fp.old !== null && fp.current !== null, true, 'both keys reload from the file');
  });
});

describe('simulator action pages against a real engine', () => {
  const fx = forSuite(() =>
    startWiredEngine({
      prefix: 'wb-sim-pages-',
      files: { 'notes.txt': 'before\n', 'new.docx': '' },
      engine: { proofMode: 'enforce' },
    }),
  );

  async function openPage(
    app: string,
    action: string,
    fileId: string,
    query = '',
  ): Promise<{ res: Response; api: string }> {
    const grant = fx.wb.mintTokenForId(fileId, 'editor');
    const res = await fetch(
      `${fx.rooms.hostPage.simulator.origin()}/sim/${app}/${action}?wopisrc=${encodeURIComponent(grant.wopiSrc)}${query}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          access_token: grant.accessToken,
          access_token_ttl: String(grant.accessTokenTtl),
        }),
      },
    );
    const html = await res.clone().text();
    const cfg = /<script type="application\/json" id="sim-config">([^<]*)<\/script>/.exec(html)?.[1];
    const api = cfg ? (JSON.parse(cfg) as { api: string }).api : '';
    return { res, api: `${fx.rooms.hostPage.simulator.origin()}${api}` };
  }

  const call = async (url: string, body: unknown = {}): Promise<Record<string, unknown>> => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, unknown>;
  };

  const ops = (r: Record<string, unknown>): string[] =>
    (r['steps'] as Array<{ operation: string; status: number }>).map((s) => `${s.operation}:${s.status}`);

  test('action URLs must be form-POSTed, with a token and a WOPISrc', async () => {
    const base = `${fx.rooms.hostPage.simulator.origin()}/sim/word/edit`;
    const get = await fetch(`${base}?wopisrc=x`);
    assert.equal(get.status, 405);
    assert.match(await get.text(), /form-POST/);
    const leaked = await fetch(`${base}?wopisrc=x&access_token=secret`);
    assert.match(await leaked.text(), /access token is in the URL/);
    const noToken = await fetch(`${base}?wopisrc=x`, { method: 'POST', body: new URLSearchParams({}) });
    assert.equal(noToken.status, 400);
    const noSrc = await fetch(base, { method: 'POST', body: new URLSearchParams({ access_token: 't' }) });
    assert.equal(noSrc.status, 400);
    assert.match(await noSrc.text(), /WOPI_SOURCE/);
    assert.equal(
      (await fetch(`${fx.rooms.hostPage.simulator.origin()}/sim/word/present`, { method: 'POST' })).status,
      404,
    );
    const { res } = await openPage('text', 'edit', fx.ids['notes.txt']!, '&misbehave=teleport');
    assert.equal(res.status, 400);
  });

  test('a text file is opened, edited, saved and closed through the page API', async () => {
    const { res, api } = await openPage('text', 'edit', fx.ids['notes.txt']!);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'nonce-/);
    assert.match(res.headers.get('x-usersessionid') ?? '', /^[0-9a-f]{32}$/);
    const opened = await call(`${api}/open`);
    assert.equal(opened['ok'], true);
    assert.deepEqual(ops(opened), ['CheckFileInfo:200', 'Lock:200', 'GetFile:200']);
    assert.deepEqual(opened['content'], { kind: 'text', text: 'before\n' });
    assert.ok(fx.wb.locks.current(fx.ids['notes.txt']!), 'the file is locked while open');
    const saved = await call(`${api}/save`, { text: 'after\n' });
    assert.equal(saved['ok'], true);
    assert.deepEqual(ops(saved).slice(3), ['PutFile:200', 'RefreshLock:200']);
    assert.equal(await readFile(path.join(fx.folder, 'notes.txt'), 'utf8'), 'after\n');
    const closed = await call(`${api}/close`);
    assert.deepEqual(ops(closed).slice(5), ['Unlock:200']);
    assert.equal(fx.wb.locks.current(fx.ids['notes.txt']!), null);

    const wrongType = await fetch(`${api}/open`, { method: 'POST', body: '{}' });
    assert.equal(wrongType.status, 415);
    const unknown = await fetch(api.replace(/[0-9a-f]{32}/, '0'.repeat(32)) + '/open', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(unknown.status, 404);

    // Bodies are bounded and parsed by Express: an answer, not a reset connection.
    const post = (body: string): Promise<Response> =>
      fetch(`${api}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const huge = await post(' '.repeat(9 * 1024 * 1024));
    assert.equal(huge.status, 413);
    assert.match(((await huge.json()) as { error: string }).error, /larger than 8388608 bytes/);
    const broken = await post('{"text": ');
    assert.equal(broken.status, 400);
    assert.deepEqual(await broken.json(), { error: 'the body is not JSON' });
    assert.equal(await readFile(path.join(fx.folder, 'notes.txt'), 'utf8'), 'after\n', 'nothing was saved');
  });

  test('editnew on an empty Office file writes a template with an unlocked PutFile first', async () => {
    const { api } = await openPage('word', 'editnew', fx.ids['new.docx']!);
    const opened = await call(`${api}/open`);
    assert.deepEqual(ops(opened), ['CheckFileInfo:200', 'PutFile:200', 'Lock:200', 'GetFile:200']);
    const parts = readZip(await readFile(path.join(fx.folder, 'new.docx'))).map((e) => e.name);
    assert.ok(parts.includes('word/document.xml') && parts.includes('[Content_Types].xml'), parts.join());
    assert.equal((opened['content'] as { kind: string }).kind, 'office');
    const saved = await call(`${api}/save`);
    assert.equal(saved['ok'], true);
    const doc = readZip(await readFile(path.join(fx.folder, 'new.docx'))).find(
      (e) => e.name === 'word/document.xml',
    );
    assert.match(doc!.data.toString('utf8'), /Edited by the WOPI Workbench simulator at/);
    await call(`${api}/close`);
  });

  test('misbehaviour comes from the action URL or the sticky simulator setting', async () => {
    const viaQuery = await openPage('text', 'view', fx.ids['notes.txt']!, '&misbehave=unsigned');
    assert.match(await viaQuery.res.text(), /Misbehaving on purpose: unsigned/);
    const r = await call(`${viaQuery.api}/open`);
    assert.equal(r['ok'], false);
    assert.deepEqual(ops(r), ['CheckFileInfo:500']);

    fx.rooms.hostPage.simulator.setMisbehaviour(['expired-timestamp']);
    try {
      const sticky = await openPage('text', 'view', fx.ids['notes.txt']!);
      const s = await call(`${sticky.api}/open`);
      const step = (s['steps'] as Array<{ status: number; expected?: boolean; proof: string }>)[0]!;
      assert.equal(step.status, 500);
      assert.equal(step.expected, true);
      assert.match(step.proof, /timestamp 21 min old/);
    } finally {
      fx.rooms.hostPage.simulator.setMisbehaviour([]);
    }
    assert.throws(() => fx.rooms.hostPage.simulator.setMisbehaviour('nope'), /unknown misbehaviour "nope"/);
  });
});
