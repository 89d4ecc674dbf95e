// The control API over real HTTP against a real engine (port 0, temp folder, real SQLite): the
// guard (token, Host, Origin, no CORS), every JSON route, and lock/restore actions that a following
// WOPI call must observe.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileView, LockView, TokenGrant, VersionView } from '../../server/contracts';
import { createControlHandler } from '../../server/control/handler';
import type { ControlRooms } from '../../server/control/rooms';
import { createWorkbench } from '../../server/engine';
import type { Engine } from '../../server/engine';
import { wireRooms } from '../../server/wiring';
import {
  checkFileInfo,
  deleteFile,
  expectLockMismatch,
  expectStatus,
  getFile,
  getLock,
  lock,
  putFile,
  refreshLock,
  sendRequest,
  unlock,
} from '../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';

const ORIGINAL = 'original bytes of report.docx\n';
const FILES: Record<string, string> = {
  'report.docx': ORIGINAL,
  'notes/plan.xlsx': 'plan v1\n',
  'gone.pptx': 'doomed',
};

let root: string;
let wb: Engine;
let base: string;
let port: number;
const seen: WopiResponse[] = [];

interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
}

async function call(method: string, route: string, opts: CallOptions = {}): Promise<WopiResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? wb.controlToken : opts.token;
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const res = await sendRequest({
    method,
    url: `${base}${route}`,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  seen.push(res);
  return res;
}

const json = <T>(res: WopiResponse): T => JSON.parse(res.text) as T;
const errorCode = (res: WopiResponse): string => json<{ error: { code: string } }>(res).error.code;

async function fileByPath(rel: string): Promise<FileView> {
  const files = json<FileView[]>(await call('GET', '/v1/files'));
  const f = files.find((x) => x.path === rel);
  assert.ok(f, `no ${rel} in ${JSON.stringify(files.map((x) => x.path))}`);
  return f;
}

async function wopiTarget(fileId: string): Promise<WopiTarget> {
  const res = await call('POST', '/v1/tokens', { body: { fileId } });
  expectStatus(res, 200);
  const grant = json<TokenGrant>(res);
  return { wopiSrc: grant.wopiSrc, accessToken: grant.accessToken };
}

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'wb-control-api-'));
  const folder = path.join(root, 'folder');
  for (const [rel, text] of Object.entries(FILES)) {
    await fsp.mkdir(path.dirname(path.join(folder, rel)), { recursive: true });
    await fsp.writeFile(path.join(folder, rel), text);
  }
  wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false });
  await wireRooms(wb); // the real wiring installs the control handler
  await wb.start();
  base = wb.controlUrl();
  port = Number(new URL(base).port);
});

after(async () => {
  await wb?.stop();
  if (root) await fsp.rm(root, { recursive: true, force: true });
});

void describe('guard', () => {
  void it('refuses a missing or wrong token with 401 and an ApiError', async () => {
    // The near-miss token differs in its last character whatever that character is.
    const last = wb.controlToken.slice(-1);
    const nearMiss = `${wb.controlToken.slice(0, -1)}${last === '0' ? '1' : '0'}`;
    for (const token of [null, 'x', nearMiss, wb.controlToken.toUpperCase()]) {
      const res = await call('GET', '/v1/status', { token });
      expectStatus(res, 401, `token ${String(token)}`);
      assert.equal(errorCode(res), 'unauthorized');
      assert.match(res.header('www-authenticate') ?? '', /^Bearer/);
    }
    const basic = await call('GET', '/v1/status', {
      token: null,
      headers: { Authorization: `Basic ${wb.controlToken}` },
    });
    expectStatus(basic, 401);
  });

  void it('checks the token before routing, so unknown routes are not revealed', async () => {
    expectStatus(await call('GET', '/v1/nope', { token: null }), 401);
    const res = await call('GET', '/v1/nope');
    expectStatus(res, 404);
    assert.equal(errorCode(res), 'not-found');
    const wrongMethod = await call('PUT', '/v1/status');
    expectStatus(wrongMethod, 405);
    assert.equal(wrongMethod.header('allow'), 'GET');
  });

  void it('refuses a foreign Origin with 403, even with the token', async () => {
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${port + 1}`,
      'null',
      `https://127.0.0.1:${port}`,
    ]) {
      const res = await call('GET', '/v1/status', { headers: { Origin: origin } });
      expectStatus(res, 403, origin);
      assert.equal(errorCode(res), 'forbidden');
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expectStatus(await call('GET', '/v1/status', { headers: { Origin: origin } }), 200, origin);
    }
  });

  void it('refuses a rebinding Host with 403, even with the token', async () => {
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1',
      `127.0.0.1.evil.example:${port}`,
    ]) {
      const res = await call('GET', '/v1/status', { headers: { Host: host } });
      expectStatus(res, 403, host);
      assert.equal(errorCode(res), 'forbidden');
    }
    expectStatus(await call('GET', '/v1/status', { headers: { Host: `localhost:${port}` } }), 200);
    expectStatus(await call('GET', '/', { token: null, headers: { Host: `evil.example:${port}` } }), 403);
  });

  void it('answers a cross-site preflight with 403 and no CORS headers', async () => {
    const res = await call('OPTIONS', '/v1/status', {
      token: null,
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' },
    });
    expectStatus(res, 403);
  });
});

void describe('engine routes', () => {
  void it('status, personas and settings', async () => {
    const status = json<Record<string, unknown>>(await call('GET', '/v1/status'));
    assert.equal(status['controlUrl'], base);
    assert.equal(status['fileCount'], 3);
    assert.equal(typeof status['lastSeq'], 'number');
    const personas = json<Array<{ id: string }>>(await call('GET', '/v1/personas'));
    assert.deepEqual(
      personas.map((p) => p.id),
      ['editor', 'coauthor', 'viewer'],
    );
    const settingsRes = await call('GET', '/v1/settings');
    const settings = json<Record<string, unknown>>(settingsRes);
    assert.equal(settings['folder'], wb.options.folder);
    assert.equal(settings['lockDurationMs'], 30 * 60 * 1000);
    assert.ok(!('clock' in settings) && !('personas' in settings), 'settings are an allowlist');
    assert.ok(!settingsRes.text.includes(wb.controlToken), 'settings must not carry the control token');
  });

  void it('mints a token a WOPI call accepts, for the persona asked for', async () => {
    const file = await fileByPath('report.docx');
    const res = await call('POST', '/v1/tokens', {
      body: { fileId: file.id, personaId: 'viewer', ttlMinutes: 5 },
    });
    expectStatus(res, 200);
    const grant = json<TokenGrant>(res);
    assert.equal(grant.wopiSrc, `${wb.wopiUrl()}/wopi/files/${file.id}`);
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
    const file = await fileByPath('report.docx');
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
      const res = await call('POST', '/v1/tokens', opts);
      expectStatus(res, status, JSON.stringify(opts.body).slice(0, 80));
      assert.equal(errorCode(res), code);
    }
  });
});

void describe('request bodies', () => {
  void it('answers 413 to an oversized chunked body (no Content-Length) instead of dropping the connection', async () => {
    const url = new URL(`${base}/v1/tokens`);
    const res = await new Promise<{ status: number; text: string; connection: string | undefined }>(
      (resolve, reject) => {
        const req = http.request(
          url,
          {
            method: 'POST',
            agent: false,
            headers: { Authorization: `Bearer ${wb.controlToken}`, 'Content-Type': 'application/json' },
          },
          (r) => {
            let text = '';
            r.setEncoding('utf8');
            r.on('data', (c: string) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, text, connection: r.headers.connection }));
          },
        );
        req.setTimeout(15_000, () => req.destroy(new Error('no answer to the oversized body')));
        req.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let i = 0; i < 20; i++) req.write(chunk); // 1.25 MiB, streamed chunked
        req.end();
      },
    );
    assert.equal(res.status, 413);
    assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, 'too-large');
    assert.equal(res.connection, 'close');
  });
});

void describe('files, versions and restore', () => {
  void it('lists files and gets one by id', async () => {
    const files = json<FileView[]>(await call('GET', '/v1/files'));
    assert.deepEqual(files.map((f) => f.path).sort(), ['gone.pptx', 'notes/plan.xlsx', 'report.docx']);
    const plan = files.find((f) => f.path === 'notes/plan.xlsx')!;
    const one = json<FileView>(await call('GET', `/v1/files/${plan.id}`));
    assert.equal(one.name, 'plan.xlsx');
    assert.equal(one.size, Buffer.byteLength(FILES['notes/plan.xlsx']!));
    assert.equal(one.lock, null);
    expectStatus(await call('GET', '/v1/files/unknown'), 404);
  });

  void it('restores old bytes through the engine, recording the replaced bytes as a version', async () => {
    const file = await fileByPath('report.docx');
    const target = await wopiTarget(file.id);
    expectStatus(await lock(target, 'edit-1'), 200);
    expectStatus(await putFile(target, 'second version\n', { lock: 'edit-1' }), 200);
    expectStatus(await unlock(target, 'edit-1'), 200);

    const history = json<VersionView[]>(await call('GET', `/v1/files/${file.id}/versions`));
    assert.equal(history.length, 1);
    const old = history[0]!;
    assert.equal(old.reason, 'put');
    assert.equal(old.restorable, true);
    assert.equal(old.size, Buffer.byteLength(ORIGINAL));

    const res = await call('POST', `/v1/files/${file.id}/versions/${old.id}/restore`);
    expectStatus(res, 200);
    assert.equal(json<FileView>(res).sha256, old.sha256);
    assert.equal(await fsp.readFile(path.join(wb.options.folder, 'report.docx'), 'utf8'), ORIGINAL);
    assert.equal((await getFile(target)).text, ORIGINAL, 'WOPI GetFile serves the restored bytes');

    const after = json<VersionView[]>(await call('GET', `/v1/files/${file.id}/versions`));
    assert.equal(after.length, 2);
    assert.equal(after[0]!.reason, 'restore');
    assert.equal(after[0]!.size, Buffer.byteLength('second version\n'));
  });

  void it('refuses to restore under a WOPI lock unless forced', async () => {
    const file = await fileByPath('report.docx');
    const target = await wopiTarget(file.id);
    const [version] = json<VersionView[]>(await call('GET', `/v1/files/${file.id}/versions`));
    expectStatus(await lock(target, 'held'), 200);
    const refused = await call('POST', `/v1/files/${file.id}/versions/${version!.id}/restore`);
    expectStatus(refused, 409);
    assert.equal(errorCode(refused), 'conflict');
    assert.match(refused.text, /force=1/);
    expectStatus(await call('POST', `/v1/files/${file.id}/versions/${version!.id}/restore?force=1`), 200);
    assert.equal(await fsp.readFile(path.join(wb.options.folder, 'report.docx'), 'utf8'), 'second version\n');
    expectStatus(await unlock(target, 'held'), 200, 'the lock survives a forced restore');
  });

  void it('brings back a deleted file under its id, and 404s unknown versions', async () => {
    const file = await fileByPath('gone.pptx');
    const target = await wopiTarget(file.id);
    expectStatus(await deleteFile(target), 200);
    expectStatus(await call('GET', `/v1/files/${file.id}`), 404);
    const [deleted] = json<VersionView[]>(await call('GET', `/v1/files/${file.id}/versions`));
    assert.equal(deleted!.reason, 'delete');
    expectStatus(await call('POST', `/v1/files/${file.id}/versions/${deleted!.id}/restore`), 200);
    assert.equal(await fsp.readFile(path.join(wb.options.folder, 'gone.pptx'), 'utf8'), 'doomed');
    assert.equal(json<FileView>(await call('GET', `/v1/files/${file.id}`)).path, 'gone.pptx');

    const other = await fileByPath('notes/plan.xlsx');
    expectStatus(
      await call('POST', `/v1/files/${other.id}/versions/${deleted!.id}/restore`),
      404,
      'version of another file',
    );
    expectStatus(await call('POST', `/v1/files/${file.id}/versions/999999/restore`), 404);
    expectStatus(await call('POST', `/v1/files/${file.id}/versions/abc/restore`), 404);
  });
});

void describe('locks', () => {
  interface LockResult {
    fileId: string;
    before: LockView | null;
    after: LockView | null;
  }

  void it('lists current locks with the file path', async () => {
    const file = await fileByPath('notes/plan.xlsx');
    const target = await wopiTarget(file.id);
    expectStatus(await lock(target, 'list-me'), 200);
    const locks = json<Array<LockView & { fileId: string; path: string }>>(await call('GET', '/v1/locks'));
    const mine = locks.find((l) => l.fileId === file.id);
    assert.equal(mine?.lockId, 'list-me');
    assert.equal(mine?.path, 'notes/plan.xlsx');
    assert.ok(mine.expiresAt > Date.now(), 'the listed lock is live');
    expectStatus(await unlock(target, 'list-me'), 200);
    assert.ok(
      !json<Array<{ fileId: string }>>(await call('GET', '/v1/locks')).some((l) => l.fileId === file.id),
      'an unlocked file is not listed',
    );
  });

  void it('force-unlock really unlocks: the old lock id then gets 409 with an empty X-WOPI-Lock', async () => {
    const file = await fileByPath('notes/plan.xlsx');
    const target = await wopiTarget(file.id);
    expectStatus(await lock(target, 'L-old'), 200);
    const res = await call('DELETE', `/v1/locks/${file.id}`);
    expectStatus(res, 200);
    const r = json<LockResult>(res);
    assert.equal(r.before?.lockId, 'L-old');
    assert.equal(r.after, null);
    expectLockMismatch(await unlock(target, 'L-old'), '', 'Unlock after force-unlock');
    expectStatus(await call('DELETE', `/v1/locks/${file.id}`), 200, 'idempotent');
  });

  void it('sets a lock on an unlocked file and steals a held one', async () => {
    const file = await fileByPath('notes/plan.xlsx');
    const target = await wopiTarget(file.id);
    const set = json<LockResult>(
      await call('PUT', `/v1/locks/${file.id}`, { body: { lockId: 'From control' } }),
    );
    assert.equal(set.before, null);
    assert.equal(set.after?.lockId, 'From control');
    expectLockMismatch(await lock(target, 'client'), 'From control', 'Lock while control holds it');

    const stolen = json<LockResult>(
      await call('PUT', `/v1/locks/${file.id}`, { body: { lockId: '{"S":"stolen"}' } }),
    );
    assert.equal(stolen.before?.lockId, 'From control');
    const got = await getLock(target);
    expectStatus(got, 200);
    assert.equal(got.header('X-WOPI-Lock'), '{"S":"stolen"}');
    expectLockMismatch(await unlock(target, 'From control'), '{"S":"stolen"}', 'Unlock with the stolen id');
    expectStatus(await unlock(target, '{"S":"stolen"}'), 200);
  });

  void it('validates lock ids and file ids', async () => {
    const file = await fileByPath('notes/plan.xlsx');
    for (const lockId of ['', 'é', 'tab\there', 'x'.repeat(1025), 42]) {
      const res = await call('PUT', `/v1/locks/${file.id}`, { body: { lockId } });
      expectStatus(res, 400, JSON.stringify(lockId).slice(0, 40));
    }
    expectStatus(await call('PUT', `/v1/locks/${file.id}`, { body: { lockId: 'x'.repeat(1024) } }), 200);
    expectStatus(await call('DELETE', `/v1/locks/${file.id}`), 200);
    for (const [method, route] of [
      ['PUT', '/v1/locks/nope'],
      ['DELETE', '/v1/locks/nope'],
      ['POST', '/v1/locks/nope/expire'],
    ] as const) {
      expectStatus(await call(method, route, method === 'PUT' ? { body: { lockId: 'a' } } : {}), 404, route);
    }
  });

  void it('expires a lock now: GetLock sees none and RefreshLock with the old id fails', async () => {
    const file = await fileByPath('notes/plan.xlsx');
    const target = await wopiTarget(file.id);
    expectStatus(await lock(target, 'L-exp'), 200);
    const r = json<LockResult>(await call('POST', `/v1/locks/${file.id}/expire`));
    assert.equal(r.before?.lockId, 'L-exp');
    assert.equal(r.after, null);
    const got = await getLock(target);
    expectStatus(got, 200);
    assert.equal(got.header('X-WOPI-Lock'), '');
    expectLockMismatch(await refreshLock(target, 'L-exp'), '', 'RefreshLock after expiry');
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
    const saved = wb.hooks.controlHandler;
    wb.hooks.controlHandler = createControlHandler(wb, { discovery: {}, tunnel: {}, hostPage: {} });
    try {
      for (const [method, route, body] of ROOM_ROUTES) {
        const res = await call(method, route, body === undefined ? {} : { body });
        expectStatus(res, 501, route);
        assert.equal(errorCode(res), 'not-available');
        assert.match(
          json<{ error: { message: string } }>(res).error.message,
          /(discovery|tunnel|hostPage) room/,
        );
      }
    } finally {
      wb.hooks.controlHandler = saved;
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
    const saved = wb.hooks.controlHandler;
    wb.hooks.controlHandler = createControlHandler(wb, rooms);
    try {
      const file = await fileByPath('report.docx');
      assert.equal(json<{ status: string }>(await call('GET', '/v1/discovery')).status, 'never');
      assert.equal(json<{ status: string }>(await call('POST', '/v1/discovery/refresh')).status, 'ok');
      assert.deepEqual(json<unknown>(await call('GET', '/v1/profiles')), [{ id: 'simulator' }]);
      assert.equal(json<{ status: string }>(await call('GET', '/v1/tunnel')).status, 'off');
      const started = await call('POST', '/v1/tunnel/start', {
        body: { provider: 'localtunnel', subdomain: 'abc', x: 1 },
      });
      assert.equal(json<{ status: string }>(started).status, 'online');
      expectStatus(await call('POST', '/v1/tunnel/start', { body: { provider: 'ngrok' } }), 400);
      const badUrl = await call('POST', '/v1/tunnel/start', {
        body: { provider: 'public-url', publicUrl: 'ftp://x' },
      });
      expectStatus(badUrl, 400, 'a room error with a control code keeps its status');
      expectStatus(await call('POST', '/v1/tunnel/stop'), 200);
      assert.equal(json<{ ok: boolean }>(await call('POST', '/v1/tunnel/check')).ok, true);
      const link = await call('POST', '/v1/launch', {
        body: { fileId: file.id, action: 'view', personaId: 'viewer' },
      });
      assert.equal(json<{ url: string }>(link).url, 'https://host/page');
      expectStatus(await call('POST', '/v1/launch', { body: { fileId: 'nope' } }), 404);
      assert.deepEqual(calls, [
        { provider: 'localtunnel', subdomain: 'abc' },
        { provider: 'public-url', publicUrl: 'ftp://x' },
        { fileId: file.id, action: 'view', personaId: 'viewer' },
      ]);
    } finally {
      wb.hooks.controlHandler = saved;
    }
  });
});

void describe('no CORS', () => {
  void it('never sent an Access-Control-* header on any response above', () => {
    assert.ok(seen.length > 50, `only ${seen.length} responses seen`);
    for (const res of seen) {
      const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
      assert.deepEqual(cors, [], res.describe());
    }
  });
});
