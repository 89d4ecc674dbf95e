// Manager state rules that need no network: stale issued URLs, emitted copies, start replacing start.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TunnelState } from '../../server/contracts/api';
import { createTunnelManager } from '../../server/tunnel/manager';

function setup() {
  const emitted: TunnelState[] = [];
  let clock = 1_000;
  const m = createTunnelManager({
    localPort: () => 1,
    emit: (s) => emitted.push(s),
    now: () => (clock += 10),
  });
  return { m, emitted };
}

void test('initial state is off, with no public URL', () => {
  const { m, emitted } = setup();
  assert.equal(m.state().status, 'off');
  assert.equal(m.state().provider, 'none');
  assert.equal(m.publicUrl(), null);
  assert.equal(emitted.length, 0);
});

void test('a changed public URL after links were issued marks them stale until re-issued', async () => {
  const { m, emitted } = setup();
  const a = await m.start({ provider: 'public-url', publicUrl: 'https://a.example.com' });
  assert.equal(a.staleUrlsIssued, undefined);
  m.markUrlsIssued();

  const b = await m.start({ provider: 'public-url', publicUrl: 'https://b.example.com' });
  // Nothing has checked that it leads here (no instance id given: no automatic check).
  assert.equal(b.status, 'unverified');
  assert.equal(b.publicUrl, 'https://b.example.com');
  assert.equal(b.staleUrlsIssued, true);

  m.markUrlsIssued();
  assert.equal(m.state().staleUrlsIssued, undefined);
  assert.equal(emitted.at(-1)?.staleUrlsIssued, undefined, 'clearing the flag is emitted too');

  // Same URL again: links issued for it are fine.
  const again = await m.start({ provider: 'public-url', publicUrl: 'https://b.example.com/' });
  assert.equal(again.staleUrlsIssued, undefined);

  // Stopping leaves links pointing at a URL that no longer leads here.
  const off = await m.stop();
  assert.equal(off.staleUrlsIssued, true);
});

void test('links issued with no tunnel become stale once a tunnel gives a public URL', async () => {
  const { m } = setup();
  m.markUrlsIssued();
  const s = await m.start({ provider: 'public-url', publicUrl: 'https://a.example.com' });
  assert.equal(s.staleUrlsIssued, true);
});

void test('every emitted state is a copy; since moves only when the status changes', async () => {
  const { m, emitted } = setup();
  await m.start({ provider: 'public-url', publicUrl: 'https://a.example.com' });
  const [connecting, set] = emitted;
  assert.equal(connecting?.status, 'connecting');
  assert.equal(set?.status, 'unverified');
  assert.ok(set.since > connecting.since);
  set.warnings.push('mutated by a subscriber');
  assert.deepEqual(m.state().warnings, []);

  const refreshed = m.refresh();
  assert.equal(refreshed.since, set.since);
});

void test('invalid settings fail without a connect attempt and leave no URL', async () => {
  const { m, emitted } = setup();
  const s = await m.start({ provider: 'public-url', publicUrl: 'https://a.example.com/wopi' });
  assert.equal(s.status, 'failed');
  assert.match(s.error ?? '', /must not have a path/);
  assert.equal(m.publicUrl(), null);
  assert.deepEqual(
    emitted.map((e) => e.status),
    ['connecting', 'failed'],
  );

  const bad = await m.start({ provider: 'localtunnel', server: 'https://localtunnel.me', subdomain: 'x' });
  assert.equal(bad.status, 'failed');
  assert.match(bad.error ?? '', /subdomain "x" is not valid/);
  assert.equal(emitted.at(-1)?.status, 'failed');
});
