// Storage behaviour of the engine (DESIGN "Data safety", "Security model"): stable ids, outside edits,
// which names are served, no way out of the folder, version blobs and retention, the data-dir rule,
// and the request log with its redaction. In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../server/config/options';
import type { WorkbenchOptions } from '../../server/config/options';
import type { EventEnvelope, EventMap, EventType } from '../../server/contracts/events';
import type { RequestRecord } from '../../server/contracts/api';
import { createWorkbench } from '../../server/engine';
import type { Engine } from '../../server/engine';
import { redactRecord } from '../../server/events/redact';
import { stageStream } from '../../server/storage/atomic-write';
import {
  checkFileInfo,
  deleteFile,
  expectStatus,
  getFile,
  lock,
  postOverride,
  putFile,
  putRelativeFile,
  renameFile,
  sendRequest,
  unlock,
  unlockAndRelock,
} from '../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = path.join(repoRoot, 'bin', 'wopi-workbench.mjs');
const WAIT_MS = 10_000;

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const sha256b64 = (b: Buffer | string): string => createHash('sha256').update(b).digest('base64');

interface Bench {
  engine: Engine;
  root: string;
  folder: string;
  dataDir: string;
  outside: string;
  /** Id of a served file by relative path (the index's own answer). */
  idOf(rel: string): Promise<string>;
  target(id: string, user?: string): WopiTarget;
  abs(rel: string): string;
  stop(): Promise<void>;
}

async function makeRoot(files: Record<string, Buffer | string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'wb-storage-'));
  await mkdir(path.join(root, 'folder'), { recursive: true });
  await mkdir(path.join(root, 'outside'), { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, 'folder', ...rel.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return root;
}

async function startBench(root: string, extra: Partial<WorkbenchOptions> = {}): Promise<Bench> {
  const folder = path.join(root, 'folder');
  const dataDir = path.join(root, 'data');
  const engine = createWorkbench({ folder, dataDir, watch: false, ...extra });
  await engine.start();
  return {
    engine,
    root,
    folder,
    dataDir,
    outside: path.join(root, 'outside'),
    async idOf(rel) {
      const f = (await engine.index.list()).find((x) => x.path === rel);
      assert.ok(
        f,
        `${rel} is not in the index: ${(await engine.index.list()).map((x) => x.path).join(', ')}`,
      );
      return f.id;
    },
    target(id, user) {
      const g = engine.mintToken(id, user);
      return { wopiSrc: g.wopiSrc, accessToken: g.accessToken };
    },
    abs: (rel) => path.join(folder, ...rel.split('/')),
    stop: () => engine.stop(),
  };
}

/** Resolve with the first matching event; subscribe before acting. Bounded. */
function nextEvent<K extends EventType>(
  engine: Engine,
  type: K,
  match: (data: EventMap[K]) => boolean,
): Promise<EventEnvelope<K>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${type} event within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const off = engine.bus.on(type, (e) => {
      if (!match(e.data)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** The log row of one response (written when the response closes, so wait for it). */
async function logged(engine: Engine, res: WopiResponse): Promise<RequestRecord> {
  const id = res.header('x-request-id');
  assert.ok(id, `response has no x-request-id\n${res.describe()}`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const rec = engine.requestLog.get(id);
    if (rec) return rec;
    assert.ok(Date.now() < deadline, `request ${id} was never logged`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: repoRoot, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const cleanup = async (b: Bench | undefined): Promise<void> => {
  if (!b) return;
  await b.stop();
  await rm(b.root, { recursive: true, force: true });
};

describe('file ids', () => {
  it('are stable across restarts and across WOPI RenameFile', async () => {
    const root = await makeRoot({ 'a.docx': 'A', 'sub/dir/b.xlsx': 'B', 'c.pptx': 'C' });
    try {
      const first = await startBench(root);
      const ids = new Map((await first.engine.index.list()).map((f) => [f.path, f.id]));
      assert.equal(ids.size, 3);
      assert.ok(
        [...ids.values()].every((id) => /^[A-Za-z0-9]+$/.test(id)),
        'ids are URL-safe alphanumerics',
      );
      const token = first.target(ids.get('a.docx')!);
      const renamed = await renameFile(token, 'a-renamed');
      expectStatus(renamed, 200);
      assert.equal(
        (await checkFileInfo(token)).json()['BaseFileName'],
        'a-renamed.docx',
        'same id, new name',
      );
      await first.stop();

      const second = await startBench(root);
      try {
        const after = new Map((await second.engine.index.list()).map((f) => [f.path, f.id]));
        assert.deepEqual(
          after,
          new Map([
            ['a-renamed.docx', ids.get('a.docx')],
            ['c.pptx', ids.get('c.pptx')],
            ['sub/dir/b.xlsx', ids.get('sub/dir/b.xlsx')],
          ]),
        );
        const info = await checkFileInfo(second.target(ids.get('a.docx')!));
        expectStatus(info, 200);
        assert.equal(info.json()['BaseFileName'], 'a-renamed.docx');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('outside edits, new and deleted files', () => {
  let b: Bench;
  before(async () => {
    b = await startBench(await makeRoot({ 'doc.docx': 'version one', 'gone.docx': 'soon deleted' }), {
      watch: true,
    });
  });
  after(() => cleanup(b));

  it('an outside edit gives a new Version and SHA256 in CheckFileInfo, and GetFile serves the new bytes', async () => {
    const t = b.target(await b.idOf('doc.docx'));
    const before = (await checkFileInfo(t)).json();
    assert.equal(before['SHA256'], sha256b64('version one'));

    // In place, different size.
    await writeFile(b.abs('doc.docx'), 'version two, edited outside');
    const mid = (await checkFileInfo(t)).json();
    assert.notEqual(mid['Version'], before['Version']);
    assert.equal(mid['SHA256'], sha256b64('version two, edited outside'));
    assert.equal(mid['Size'], Buffer.byteLength('version two, edited outside'));

    // Editor style: write a temp file, rename over (same size, new inode).
    await writeFile(b.abs('doc.tmp'), 'version 3!!, edited outside');
    await rename(b.abs('doc.tmp'), b.abs('doc.docx'));
    const last = (await checkFileInfo(t)).json();
    assert.notEqual(last['Version'], mid['Version']);
    assert.equal(last['SHA256'], sha256b64('version 3!!, edited outside'));
    const body = await getFile(t);
    assert.equal(body.text, 'version 3!!, edited outside');
    assert.equal(body.header('X-WOPI-ItemVersion'), last['Version']);
  });

  it('a new file appears (watcher, index, token command) and works over WOPI', async () => {
    const added = nextEvent(b.engine, 'file:added', (f) => f.path === 'new.docx');
    await writeFile(b.abs('new.docx'), 'brand new');
    const ev = await added;
    assert.equal(await b.idOf('new.docx'), ev.data.id);

    // The token command (another process, same data dir) finds it too, and its token works here.
    await writeFile(b.abs('later.xlsx'), 'added while running');
    const out = await runCli(['token', '--data-dir', b.dataDir, '--file', 'later.xlsx', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const grant = JSON.parse(out.stdout.trim()) as { wopiSrc: string; accessToken: string };
    const info = await checkFileInfo({ wopiSrc: grant.wopiSrc, accessToken: grant.accessToken });
    expectStatus(info, 200);
    assert.equal(info.json()['BaseFileName'], 'later.xlsx');
    assert.equal(info.json()['Size'], Buffer.byteLength('added while running'));
  });

  it('a deleted file goes: 404 on every operation, and out of the index', async () => {
    const id = await b.idOf('gone.docx');
    const t = b.target(id);
    expectStatus(await checkFileInfo(t), 200);
    const removed = nextEvent(b.engine, 'file:removed', (f) => f.fileId === id);
    await unlink(b.abs('gone.docx'));
    expectStatus(await checkFileInfo(t), 404, 'CheckFileInfo after delete');
    expectStatus(await getFile(t), 404, 'GetFile after delete');
    expectStatus(await lock(t, 'L'), 404, 'Lock after delete');
    await removed;
    assert.ok(!(await b.engine.index.list()).some((f) => f.id === id));
  });
});

describe('names that are never served', () => {
  const hidden = [
    '~$report.docx',
    '.~lock.report.docx#',
    '.hidden.docx',
    '.git/config',
    'notes.docx~',
    'x.tmp',
  ];
  let b: Bench;
  before(async () => {
    const files: Record<string, string> = { 'report.docx': 'real' };
    for (const h of hidden) files[h] = `do not serve ${h}`;
    b = await startBench(await makeRoot(files), { watch: true });
  });
  after(() => cleanup(b));

  it('editor temp files, lock files, dotfiles and dot-folders are not indexed at start', async () => {
    assert.deepEqual(
      (await b.engine.index.list()).map((f) => f.path),
      ['report.docx'],
    );
  });

  it('nor when they appear while running', async () => {
    const seen = nextEvent(b.engine, 'file:added', (f) => f.path === 'marker.docx');
    await writeFile(b.abs('~$marker.docx'), 'owner file');
    await writeFile(b.abs('.~lock.marker.docx#'), 'lo lock');
    await writeFile(b.abs('.secret.docx'), 'dot');
    await writeFile(b.abs('marker.docx'), 'visible');
    await seen;
    // The watcher processes events in order of arrival; the marker came last.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      (await b.engine.index.list()).map((f) => f.path),
      ['marker.docx', 'report.docx'],
    );
  });

  it('the index refuses them by name, and so does the token command', async () => {
    for (const rel of hidden) assert.equal(await b.engine.index.ensure(rel), null, rel);
    const out = await runCli(['token', '--data-dir', b.dataDir, '--file', '~$report.docx', '--json']);
    assert.notEqual(out.code, 0, `token for ~$report.docx should fail: ${out.stdout}`);
    assert.match(out.stderr, /not a file served/);
  });
});

describe('nothing outside the folder is ever served', () => {
  const SECRET = Buffer.from('TOP-SECRET bytes that live outside the served folder');
  let b: Bench;
  before(async () => {
    const root = await makeRoot({ 'inside.docx': 'inside', 'swap.docx': 'will become a symlink' });
    await writeFile(path.join(root, 'outside', 'secret.docx'), SECRET);
    await writeFile(path.join(root, 'secret.docx'), SECRET);
    await symlink(path.join(root, 'outside', 'secret.docx'), path.join(root, 'folder', 'link.docx'));
    await symlink(path.join(root, 'outside'), path.join(root, 'folder', 'linkdir'));
    b = await startBench(root);
  });
  after(() => cleanup(b));

  const neverSecret = (res: WopiResponse, what: string): void => {
    assert.ok(!res.body.includes(SECRET), `${what} served the outside bytes\n${res.describe()}`);
    assert.notEqual(res.status, 200, `${what} must not succeed\n${res.describe()}`);
  };

  it('symlinks to outside files or folders are not indexed, and the token command refuses them', async () => {
    assert.deepEqual(
      (await b.engine.index.list()).map((f) => f.path),
      ['inside.docx', 'swap.docx'],
    );
    const rels = ['link.docx', 'linkdir/secret.docx', '../secret.docx', '../outside/secret.docx'];
    for (const rel of rels) assert.equal(await b.engine.index.ensure(rel), null, rel);
    const outs = await Promise.all(
      ['link.docx', '../secret.docx'].map((rel) =>
        runCli(['token', '--data-dir', b.dataDir, '--file', rel, '--json']),
      ),
    );
    for (const out of outs) assert.notEqual(out.code, 0, `token should fail: ${out.stdout}`);
  });

  it('traversal in the file id (raw, encoded, absolute) never reaches outside bytes', async () => {
    const base = b.engine.wopiUrl();
    const ids = [
      '../secret.docx',
      '../outside/secret.docx',
      path.join(b.outside, 'secret.docx'),
      '..',
      '/etc/passwd',
    ];
    for (const id of ids) {
      // A token minted for exactly that id, so the token check is not what stops it.
      const t = b.target(id);
      const encoded = encodeURIComponent(id);
      for (const suffix of ['', '/contents']) {
        const url = `${base}/wopi/files/${encoded}${suffix}?access_token=${t.accessToken}`;
        neverSecret(await sendRequest({ method: 'GET', url }), `GET ${id}${suffix}`);
      }
    }
    const token = b.target('..%2fsecret.docx').accessToken;
    for (const raw of [
      '/wopi/files/../../secret.docx',
      '/wopi/files/..%2f..%2fsecret.docx/contents',
      '/wopi/files/%2e%2e%2f%2e%2e%2fsecret.docx/contents',
      '/wopi/files/%2E%2E/%2E%2E/secret.docx',
      `/wopi/files/${encodeURIComponent(path.join(b.root, 'secret.docx'))}/contents`,
    ]) {
      const res = await sendRequest({ method: 'GET', url: base, rawPath: `${raw}?access_token=${token}` });
      neverSecret(res, `GET ${raw}`);
    }
  });

  it('a served file swapped for a symlink to outside is gone, for reads and writes', async () => {
    const id = await b.idOf('swap.docx');
    const t = b.target(id);
    expectStatus(await lock(t, 'L'), 200);
    await unlink(b.abs('swap.docx'));
    await symlink(path.join(b.outside, 'secret.docx'), b.abs('swap.docx'));
    neverSecret(await checkFileInfo(t), 'CheckFileInfo');
    neverSecret(await getFile(t), 'GetFile');
    neverSecret(await putFile(t, 'overwrite the secret', { lock: 'L' }), 'PutFile');
    assert.deepEqual(await readFile(path.join(b.outside, 'secret.docx')), SECRET);
  });
});

describe('version blobs', () => {
  let b: Bench;
  before(async () => {
    b = await startBench(
      await makeRoot({
        'put.docx': 'original put bytes',
        'del.docx': 'bytes before delete',
        'ret.docx': 'r0',
      }),
      { versionRetention: 3 },
    );
  });
  after(() => cleanup(b));

  it('PutFile keeps the previous content as a blob with equal bytes, and it restores', async () => {
    const id = await b.idOf('put.docx');
    const t = b.target(id);
    const oldInfo = (await checkFileInfo(t)).json();
    expectStatus(await lock(t, 'L'), 200);
    expectStatus(await putFile(t, 'replacement bytes', { lock: 'L' }), 200);

    const [v] = b.engine.versions.list(id);
    assert.ok(v, 'a version row exists');
    assert.equal(v.reason, 'put');
    assert.equal(v.sha256, sha256('original put bytes'));
    assert.equal(v.version, oldInfo['Version']);
    assert.equal(v.restorable, true);
    const blob = b.engine.versions.get(v.id)!.blob!;
    assert.equal(await readFile(b.engine.blobs.pathOf(blob), 'utf8'), 'original put bytes');

    // Restore through the engine's own storage path (stage from the blob, replace), then check over WOPI.
    const fresh = (await b.engine.index.resolve(id))!;
    const staged = await stageStream(b.folder, createReadStream(b.engine.blobs.pathOf(blob)), 1024 * 1024);
    await b.engine.index.replace(fresh.row, fresh.abs, staged, 'restore', 'restore');
    const restored = (await checkFileInfo(t)).json();
    assert.equal(restored['SHA256'], sha256b64('original put bytes'));
    assert.notEqual(restored['Version'], oldInfo['Version'], 'a restore is a new version');
    assert.equal((await getFile(t)).text, 'original put bytes');
    assert.equal(
      b.engine.versions.list(id)[0]!.sha256,
      sha256('replacement bytes'),
      'the replaced bytes are kept too',
    );
  });

  it('DeleteFile keeps the deleted content as a blob', async () => {
    const id = await b.idOf('del.docx');
    expectStatus(await deleteFile(b.target(id)), 200);
    const [v] = b.engine.versions.list(id);
    assert.ok(v);
    assert.equal(v.reason, 'delete');
    assert.equal(v.restorable, true);
    assert.equal(
      await readFile(b.engine.blobs.pathOf(b.engine.versions.get(v.id)!.blob!), 'utf8'),
      'bytes before delete',
    );
  });

  it('PutRelativeFile overwriting a target keeps the target content', async () => {
    const src = b.target(await b.idOf('put.docx'));
    await writeFile(b.abs('over.docx'), 'target before overwrite');
    const targetId = (await b.engine.index.ensure('over.docx'))!.row.id;
    const res = await putRelativeFile(src, 'target after', {
      relativeTarget: 'over.docx',
      overwriteRelativeTarget: true,
    });
    expectStatus(res, 200);
    const [v] = b.engine.versions.list(targetId);
    assert.ok(v);
    assert.equal(v.reason, 'put-relative-overwrite');
    assert.equal(
      await readFile(b.engine.blobs.pathOf(b.engine.versions.get(v.id)!.blob!), 'utf8'),
      'target before overwrite',
    );
  });

  it('retention keeps the newest versionRetention blobs and deletes older ones', async () => {
    const id = await b.idOf('ret.docx');
    const t = b.target(id);
    expectStatus(await lock(t, 'L'), 200);
    for (let i = 1; i <= 5; i++) expectStatus(await putFile(t, `r${i}`, { lock: 'L' }), 200, `PutFile r${i}`);
    const list = b.engine.versions.list(id); // newest first: r4, r3, r2, r1, r0
    assert.deepEqual(
      list.map((v) => v.sha256),
      ['r4', 'r3', 'r2', 'r1', 'r0'].map((s) => sha256(s)),
    );
    assert.deepEqual(
      list.map((v) => v.restorable),
      [true, true, true, false, false],
    );
    for (const [i, s] of ['r4', 'r3', 'r2', 'r1', 'r0'].entries()) {
      const exists = await stat(b.engine.blobs.pathOf(sha256(s))).then(
        () => true,
        () => false,
      );
      assert.equal(exists, i < 3, `blob of ${s} ${i < 3 ? 'kept' : 'pruned'}`);
    }
  });
});

describe('data dir rule', () => {
  it('a data dir inside the served folder is refused with a clear error, before anything is written', async () => {
    const root = await makeRoot({ 'a.docx': 'A' });
    const folder = path.join(root, 'folder');
    try {
      for (const dataDir of [path.join(folder, '.wopi-data'), folder, path.join(folder, 'sub', 'deeper')]) {
        assert.throws(
          () => createWorkbench({ folder, dataDir, watch: false }),
          (e: unknown) =>
            e instanceof ConfigError && e.setting === 'dataDir' && /inside the served folder/.test(e.message),
          dataDir,
        );
      }
      assert.deepEqual(await readdir(folder), ['a.docx']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('request log', () => {
  let b: Bench;
  before(async () => {
    b = await startBench(await makeRoot({ 'log.docx': 'log me' }));
  });
  after(() => cleanup(b));

  it('one row per request with operation, status and lock before/after', async () => {
    const id = await b.idOf('log.docx');
    const t = b.target(id);
    const start = b.engine.requestLog.count();
    // Sequential on purpose: each step's lock state depends on the previous one.
    const run = async (
      p: () => Promise<WopiResponse>,
      op: string,
      status: number,
      before: string | null | undefined,
      after: string | null | undefined,
    ): Promise<RequestRecord> => {
      const res = await p();
      expectStatus(res, status, op);
      const rec = await logged(b.engine, res);
      assert.equal(rec.operation, op);
      assert.equal(rec.status, status);
      assert.equal(rec.fileId, id);
      assert.equal(rec.filePath, 'log.docx');
      assert.equal(rec.lockBefore, before, `${op} lockBefore`);
      assert.equal(rec.lockAfter, after, `${op} lockAfter`);
      if (status >= 400) assert.ok(rec.why, `${op} ${status} explains why`);
      return rec;
    };
    await run(() => checkFileInfo(t), 'CheckFileInfo', 200, undefined, undefined);
    await run(() => lock(t, 'L1'), 'Lock', 200, null, 'L1');
    await run(() => lock(t, 'L2'), 'Lock', 409, 'L1', 'L1');
    await run(() => unlockAndRelock(t, 'L3', 'L1'), 'UnlockAndRelock', 200, 'L1', 'L3');
    const put = await run(() => putFile(t, 'logged body', { lock: 'L3' }), 'PutFile', 200, 'L3', 'L3');
    assert.deepEqual(put.requestBody, { size: 11, sha256: sha256('logged body') });
    await run(() => getFile(t), 'GetFile', 200, undefined, undefined);
    await run(() => unlock(t, 'L3'), 'Unlock', 200, 'L3', null);
    await run(() => postOverride(t, 'NOT_A_THING'), 'Unsupported', 501, undefined, undefined);
    const tail = t.accessToken.endsWith('0000') ? '1111' : '0000'; // always differs from the real token
    const bad = await checkFileInfo(t, { token: `${t.accessToken.slice(0, -4)}${tail}` });
    expectStatus(bad, 401);
    assert.equal((await logged(b.engine, bad)).status, 401);
    assert.equal(b.engine.requestLog.count() - start, 9, 'exactly one row per request');
  });

  it('redactRecord removes the access token, Authorization, proof headers and tokens in bodies', async () => {
    const src = b.target(await b.idOf('log.docx'));
    const res = await putRelativeFile(src, 'copy', {
      suggestedTarget: '.docx',
      headers: { 'X-WOPI-Proof': 'PROOF-SIGNATURE-VALUE', 'X-WOPI-ProofOld': 'OLD-PROOF-VALUE' },
    });
    expectStatus(res, 200);
    const newToken = new URL(res.json()['Url'] as string).searchParams.get('access_token')!;
    const raw = await logged(b.engine, res);
    const red = redactRecord(raw);
    const text = JSON.stringify(red);
    for (const secret of [src.accessToken, newToken, 'PROOF-SIGNATURE-VALUE', 'OLD-PROOF-VALUE']) {
      assert.ok(!text.includes(secret), `redacted record still contains ${secret.slice(0, 12)}…`);
    }
    assert.equal(red.redacted, true);
    assert.match(red.query, /access_token=\[redacted \d+ chars\]/);
    assert.match(red.requestHeaders['authorization']!, /^Bearer \[redacted \d+ chars\]$/);
    assert.match(red.responseBody!.text!, /access_token=\[redacted \d+ chars\]/);
    // Redaction is a view: the stored record is unchanged and the operation facts survive.
    assert.equal(red.operation, 'PutRelativeFile');
    assert.equal(red.status, 200);
    assert.ok(raw.query.includes(src.accessToken));
  });
});
