// The control API's JSON routes over real HTTP against a real engine: status, personas, settings, token
// minting (and refusing), and the room routes (discovery, tunnel, launch) through the real rooms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenGrant } from '../../server/contracts';
import type { DiscoveryStateView, LaunchLink, ReachabilityResult, TunnelState } from '../../server/contracts';
import { controlApiForSuite, errorCode, itSentNoCorsHeaders, json } from '../helpers/control-api';
import type { CallOptions } from '../helpers/control-api';
import { checkFileInfo, expectStatus } from '../helpers/wopi-client';

const api = controlApiForSuite({
  'report.docx': 'original bytes of report.docx\n',
  'notes/plan.xlsx': 'plan v1\n',
  'gone.pptx': 'doomed',
});

void describe('engine routes', () => {
  void it('status, personas and settings', async () => {
    const status = json<Record<string, unknown>>(await api.call('GET', '/v1/status'));
    assert.equal(status['controlUrl'], api.base);
    assert.equal(status['fileCount'], 3);
    assert.equal(typeof status['lastSeq'], 'number');
    const personas = json<Array<{ id: string }>>(await api.call('GET', '/v1/personas'));
    assert.deepEqual(
      personas.map((p) => p.id),
      ['editor', 'coauthor', 'viewer'],
    );
    const settingsRes = await api.call('GET', '/v1/settings');
    const settings = json<Record<string, unknown>>(settingsRes);
    assert.equal(settings['folder'], api.wb.options.folder);
    assert.equal(settings['lockDurationMs'], 30 * 60 * 1000);
    assert.ok(!('clock' in settings) && !('personas' in settings), 'settings are an allowlist');
    assert.ok(!settingsRes.text.includes(api.wb.controlToken), 'settings must not carry the control token');
  });

  void it('mints a token a WOPI call accepts, for the persona asked for', async () => {
    const file = await api.fileByPath('report.docx');
    const res = await api.call('POST', '/v1/tokens', {
      body: { fileId: file.id, personaId: 'viewer', ttlMinutes: 5 },
    });
    expectStatus(res, 200);
    const grant = json<TokenGrant>(res);
    assert.equal(grant.wopiSrc, `${api.wb.wopiUrl()}/wopi/files/${file.id}`);
    assert.ok(
      grant.accessTokenTtl > Date.now() && grant.accessTokenTtl <= Date.now() + 5 * 60_000,
      `accessTokenTtl ${grant.accessTokenTtl} is not within 5 minutes`,
    );
    const info = await checkFileInfo({ wopiSrc: grant.wopiSrc, accessToken: grant.accessToken });
    expectStatus(info, 200);
    assert.equal(info.json()['UserId'], 'viewer');
    assert.equal(info.json()['UserCanWrite'], false);
  });

  void it('refuses bad token requests with stable codes', async () => {
    const file = await api.fileByPath('report.docx');
    const cases: Array<[CallOptions, number, string]> = [
      [{ body: { fileId: 'no-such-file' } }, 404, 'not-found'],
      [{ body: {} }, 400, 'bad-request'],
      [{ body: [file.id] }, 400, 'bad-request'],
      [{ body: { fileId: file.id, permissions: 'admin' } }, 400, 'bad-request'],
      [{ body: { fileId: file.id, ttlMinutes: -1 } }, 400, 'bad-request'],
      [{ body: '{"fileId": ', headers: { 'Content-Type': 'application/json' } }, 400, 'bad-request'],
      [
        { body: JSON.stringify({ fileId: file.id }), headers: { 'Content-Type': 'text/plain' } },
        400,
        'bad-request',
      ],
      [{ body: { fileId: file.id, pad: 'x'.repeat(1024 * 1024) } }, 413, 'too-large'],
    ];
    for (const [opts, status, code] of cases) {
      const res = await api.call('POST', '/v1/tokens', opts);
      expectStatus(res, status, JSON.stringify(opts.body).slice(0, 80));
      assert.equal(errorCode(res), code);
    }
  });
});

void describe('rooms', () => {
  void it('discovery: state, refresh and profiles come from the discovery room', async () => {
    const state = json<DiscoveryStateView>(await api.call('GET', '/v1/discovery'));
    assert.equal(state.profile, 'simulator');
    const refreshed = await api.call('POST', '/v1/discovery/refresh');
    expectStatus(refreshed, 200);
    // The room's answer either way: a failed fetch is reported in the state, not as an error.
    const after = json<DiscoveryStateView>(refreshed);
    assert.ok(after.status === 'ok' || (after.status === 'failed' && after.error), JSON.stringify(after));
    assert.equal(json<DiscoveryStateView>(await api.call('GET', '/v1/discovery')).status, after.status);
    const profiles = json<Array<{ id: string }>>(await api.call('GET', '/v1/profiles'));
    assert.ok(profiles.some((p) => p.id === 'simulator'));
  });

  void it('tunnel: checks the request, then the tunnel room starts, checks and stops', async () => {
    assert.equal(json<TunnelState>(await api.call('GET', '/v1/tunnel')).status, 'off');
    for (const body of [{ provider: 'ngrok' }, { provider: 'public-url' }, 'nope', [1]]) {
      const res = await api.call('POST', '/v1/tunnel/start', { body });
      expectStatus(res, 400, JSON.stringify(body));
      assert.equal(errorCode(res), 'bad-request');
    }
    // This workbench's own WOPI listener as its public URL: the reachability check meets this instance.
    const started = await api.call('POST', '/v1/tunnel/start', {
      body: { provider: 'public-url', publicUrl: api.wb.wopiUrl(), extra: 1 },
    });
    expectStatus(started, 200);
    const state = json<TunnelState>(started);
    assert.equal(state.provider, 'public-url');
    assert.equal(state.publicUrl, api.wb.wopiUrl());
    const check = json<ReachabilityResult>(await api.call('POST', '/v1/tunnel/check'));
    assert.equal(check.ok, true, JSON.stringify(check.hops));
    assert.equal(json<TunnelState>(await api.call('POST', '/v1/tunnel/stop')).status, 'off');
  });

  void it('launch: a signed link from the host page room; a room refusal keeps its code', async () => {
    const file = await api.fileByPath('report.docx');
    const res = await api.call('POST', '/v1/launch', {
      body: { fileId: file.id, action: 'view', personaId: 'viewer' },
    });
    expectStatus(res, 200);
    const link = json<LaunchLink>(res);
    assert.equal(link.action, 'view');
    assert.ok(link.url.startsWith(`${api.wb.wopiUrl()}/`), link.url);
    const missing = await api.call('POST', '/v1/launch', { body: { fileId: 'nope' } });
    expectStatus(missing, 404);
    assert.equal(errorCode(missing), 'not-found');
    // The host page room refuses a name that is no WOPI action with its own 'bad-request'.
    const refused = await api.call('POST', '/v1/launch', { body: { fileId: file.id, action: 'no such' } });
    expectStatus(refused, 400);
    assert.equal(errorCode(refused), 'bad-request');
  });
});

void describe('no CORS', () => {
  itSentNoCorsHeaders(api, 29);
});
