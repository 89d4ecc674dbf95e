// The control API's JSON routes over real HTTP against a real engine: status, personas, settings, token
// minting (and refusing), and the room routes (discovery, tunnel, launch) with and without a room behind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TokenGrant } from '../../server/contracts';
import { createControlHandler } from '../../server/control/handler';
import type { ControlRooms } from '../../server/control/rooms';
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
  const ROOM_ROUTES: Array<[string, string, unknown?]> = [
    ['GET', '/v1/discovery'],
    ['POST', '/v1/discovery/refresh'],
    ['GET', '/v1/profiles'],
    ['GET', '/v1/tunnel'],
    ['POST', '/v1/tunnel/start', { provider: 'localtunnel' }],
    ['POST', '/v1/tunnel/stop'],
    ['POST', '/v1/tunnel/check'],
    ['POST', '/v1/launch', { fileId: 'x' }],
  ];

  void it('answers 501 not-available naming the room when a room lacks the capability', async () => {
    const saved = api.wb.hooks.controlHandler;
    api.wb.hooks.controlHandler = createControlHandler(api.wb, { discovery: {}, tunnel: {}, hostPage: {} });
    try {
      for (const [method, route, body] of ROOM_ROUTES) {
        const res = await api.call(method, route, body === undefined ? {} : { body });
        expectStatus(res, 501, route);
        assert.equal(errorCode(res), 'not-available');
        assert.match(
          json<{ error: { message: string } }>(res).error.message,
          /(discovery|tunnel|hostPage) room/,
        );
      }
    } finally {
      api.wb.hooks.controlHandler = saved;
    }
  });

  void it('delegates to rooms that provide the capabilities, after checking the request', async () => {
    const calls: unknown[] = [];
    const tunnelState = { provider: 'none', status: 'off', since: 1, warnings: [] };
    const rooms: ControlRooms = {
      discovery: {
        state: () => ({ profile: 'simulator', status: 'never' }),
        refresh: () => Promise.resolve({ profile: 'simulator', status: 'ok' }),
        profiles: () => [{ id: 'simulator' }],
      },
      tunnel: {
        state: () => tunnelState,
        start: (req: unknown) => {
          calls.push(req);
          if ((req as { publicUrl?: string }).publicUrl === 'ftp://x') {
            return Promise.reject(
              Object.assign(new Error('publicUrl must be http(s)'), { code: 'bad-request' }),
            );
          }
          return Promise.resolve({ ...tunnelState, status: 'online' });
        },
        stop: () => Promise.resolve(tunnelState),
        check: () => Promise.resolve({ ok: true, checkedAt: 1, hops: [] }),
      },
      hostPage: {
        launch: (req: unknown) => {
          calls.push(req);
          return { url: 'https://host/page', expiresAt: 2, action: 'edit', profile: 'simulator' };
        },
      },
    };
    const saved = api.wb.hooks.controlHandler;
    api.wb.hooks.controlHandler = createControlHandler(api.wb, rooms);
    try {
      const file = await api.fileByPath('report.docx');
      assert.equal(json<{ status: string }>(await api.call('GET', '/v1/discovery')).status, 'never');
      assert.equal(json<{ status: string }>(await api.call('POST', '/v1/discovery/refresh')).status, 'ok');
      assert.deepEqual(json<unknown>(await api.call('GET', '/v1/profiles')), [{ id: 'simulator' }]);
      assert.equal(json<{ status: string }>(await api.call('GET', '/v1/tunnel')).status, 'off');
      const started = await api.call('POST', '/v1/tunnel/start', {
        body: { provider: 'localtunnel', subdomain: 'abc', x: 1 },
      });
      assert.equal(json<{ status: string }>(started).status, 'online');
      expectStatus(await api.call('POST', '/v1/tunnel/start', { body: { provider: 'ngrok' } }), 400);
      const badUrl = await api.call('POST', '/v1/tunnel/start', {
        body: { provider: 'public-url', publicUrl: 'ftp://x' },
      });
      expectStatus(badUrl, 400, 'a room error with a control code keeps its status');
      expectStatus(await api.call('POST', '/v1/tunnel/stop'), 200);
      assert.equal(json<{ ok: boolean }>(await api.call('POST', '/v1/tunnel/check')).ok, true);
      const link = await api.call('POST', '/v1/launch', {
        body: { fileId: file.id, action: 'view', personaId: 'viewer' },
      });
      assert.equal(json<{ url: string }>(link).url, 'https://host/page');
      expectStatus(await api.call('POST', '/v1/launch', { body: { fileId: 'nope' } }), 404);
      assert.deepEqual(calls, [
        { provider: 'localtunnel', subdomain: 'abc' },
        { provider: 'public-url', publicUrl: 'ftp://x' },
        { fileId: file.id, action: 'view', personaId: 'viewer' },
      ]);
    } finally {
      api.wb.hooks.controlHandler = saved;
    }
  });
});

void describe('no CORS', () => {
  itSentNoCorsHeaders(api, 34);
});
