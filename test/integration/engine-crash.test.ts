// The crash test (DESIGN "Data safety"): a real `serve` process is killed with SIGKILL while three large
// PutFiles are in flight, at several points of the upload. After a restart on the same folder and data dir,
// every file holds exactly its old or its new bytes (SHA-256), never a mix; temp files are gone; and the
// engine reports and serves what is on disk.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { TEMP_PREFIX } from '../../server/storage/paths';
import { cliToken, spawnServe } from '../helpers/cli-process';
import type { ServeProcess } from '../helpers/cli-process';
import { checkFileInfo, expectStatus, lock, openPutFile, wopiUrl } from '../helpers/wopi-client';
import type { WopiTarget } from '../helpers/wopi-client';

const MB = 1024 * 1024;
const FILE_MB = 48;
const FILES = ['a.bin', 'b.bin', 'sub/c.bin'] as const;
const LOCK_ID = 'CRASH-TEST-LOCK';
const WAIT_MS = 30_000;

/** Content generation `gen` of a file: 1 MB chunks that differ per chunk index, file and generation. */
function chunkOf(file: string, gen: number, i: number): Buffer {
  const block = Buffer.alloc(MB, `${file}:${gen}:`);
  block.writeUInt32BE(i, 0);
  block.writeUInt32BE(gen, 4);
  return block;
}

const genShas = new Map<string, string>();
function shaOfGen(file: string, gen: number): string {
  const key = `${file}:${gen}`;
  let sha = genShas.get(key);
  if (!sha) {
    const h = createHash('sha256');
    for (let i = 0; i < FILE_MB; i++) h.update(chunkOf(file, gen, i));
    sha = h.digest('hex');
    genShas.set(key, sha);
  }
  return sha;
}

async function shaOfFile(abs: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(abs, { highWaterMark: MB })) h.update(c as Buffer);
  return h.digest('hex');
}

async function writeGen(abs: string, file: string, gen: number): Promise<void> {
  await mkdir(path.dirname(abs), { recursive: true });
  const out = createWriteStream(abs);
  for (let i = 0; i < FILE_MB; i++) if (!out.write(chunkOf(file, gen, i))) await once(out, 'drain');
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function once(emitter: NodeJS.EventEmitter, event: string): Promise<void> {
  return new Promise((resolve) => emitter.once(event, () => resolve()));
}

/** Wait for 'drain', or for the request to die (then 'drain' never comes); leaves no listeners behind. */
function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

// --quiet: only the ready line matters here; --proof off: the uploads are not signed.
const startServe = (folder: string, dataDir: string): Promise<ServeProcess> =>
  spawnServe(folder, dataDir, ['--quiet', '--proof', 'off']);

async function kill9(s: ServeProcess): Promise<void> {
  s.kill('SIGKILL');
  await s.exitWithin(WAIT_MS);
}

/** A PutFile whose body the test feeds chunk by chunk, so it can stop anywhere. */
function startUpload(target: WopiTarget) {
  const { req, result: response } = openPutFile(target, LOCK_ID, FILE_MB * MB);
  let failed = false;
  req.on('error', () => {
    failed = true;
  });
  let sent = 0;
  return {
    response,
    /** Write chunks of generation `gen` up to `upTo` MB (respecting backpressure; stops if the server died). */
    async feed(file: string, gen: number, upTo: number): Promise<void> {
      while (sent < upTo && !failed) {
        const chunk = chunkOf(file, gen, sent++);
        const last = sent === FILE_MB;
        if (last) {
          await new Promise<void>((resolve) => req.end(chunk, () => resolve()));
          return;
        }
        if (!req.write(chunk)) await drained(req);
      }
    },
  };
}

async function tempFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(dir, e.name));
      else if (e.name.startsWith(TEMP_PREFIX)) found.push(path.join(dir, e.name));
    }
  };
  await walk(folder);
  return found;
}

/** Poll until `check` holds (bounded). */
async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** GetFile, hashed as it streams (the files are too big to hold in memory three at a time). */
function getFileSha(target: WopiTarget): Promise<{ status: number; sha: string; length: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(wopiUrl(target, '/contents'), (res) => {
      const h = createHash('sha256');
      let length = 0;
      res.on('data', (c: Buffer) => {
        h.update(c);
        length += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, sha: h.digest('hex'), length }));
      res.on('error', reject);
    });
    req.setTimeout(WAIT_MS, () => req.destroy(new Error('GetFile timed out')));
    req.on('error', reject);
  });
}

type KillPoint = 'before any body byte' | 'mid-body' | 'right after the last byte' | 'after the 200';

describe('kill -9 during large PutFiles', { timeout: 180_000 }, () => {
  let root: string;
  let folder: string;
  let dataDir: string;
  let serve: ServeProcess;
  const tokens = new Map<string, { id: string; accessToken: string }>();
  /** Which generation each file is known to hold, with its hash. */
  const current = new Map<string, { gen: number; sha: string }>();
  let nextGen = 1;

  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-crash-'));
    folder = path.join(root, 'folder');
    dataDir = path.join(root, 'data');
    await mkdir(folder, { recursive: true });
    for (const f of FILES) {
      await writeGen(path.join(folder, f), f, 0);
      current.set(f, { gen: 0, sha: shaOfGen(f, 0) });
    }
    serve = await startServe(folder, dataDir);
    // Tokens stay valid across restarts: the signing secret and the file ids live in the data dir.
    for (const [f, t] of await Promise.all(
      FILES.map(async (f) => [f, await cliToken(dataDir, f)] as const),
    )) {
      tokens.set(f, t);
    }
    for (const f of FILES) expectStatus(await lock(target(f), LOCK_ID), 200, `Lock ${f}`);
  });

  after(async () => {
    if (serve) {
      serve.kill('SIGTERM');
      await serve.exited;
    }
    if (root) await rm(root, { recursive: true, force: true });
  });

  const target = (f: string): WopiTarget => ({
    wopiSrc: `${serve.ready.wopiUrl}/wopi/files/${tokens.get(f)!.id}`,
    accessToken: tokens.get(f)!.accessToken,
  });

  async function crashRound(t: TestContext, point: KillPoint): Promise<void> {
    const gen = nextGen++;
    const versionsBefore = new Map<string, unknown>();
    for (const f of FILES) versionsBefore.set(f, (await checkFileInfo(target(f))).json()['Version']);
    const uploads = FILES.map((f) => ({ f, up: startUpload(target(f)) }));

    if (point === 'before any body byte') {
      // Headers only: the server has opened its temp files and waits for the body.
      await until(
        'every upload has a temp file',
        async () => (await tempFiles(folder)).length === FILES.length,
      );
    } else if (point === 'mid-body') {
      await Promise.all(uploads.map(({ f, up }) => up.feed(f, gen, FILE_MB / 2)));
      await until('the server has written a good part of each body', async () => {
        const temps = await tempFiles(folder);
        const sizes = await Promise.all(temps.map(async (t) => (await stat(t)).size));
        return temps.length === FILES.length && sizes.every((s) => s >= (FILE_MB / 4) * MB);
      });
    } else {
      await Promise.all(uploads.map(({ f, up }) => up.feed(f, gen, FILE_MB)));
      if (point === 'right after the last byte') {
        // The server holds every byte: it is fsyncing, renaming or recording the new version.
        await until('every temp file is complete (or already renamed)', async () => {
          const sizes = await Promise.all((await tempFiles(folder)).map(async (t) => (await stat(t)).size));
          return sizes.every((s) => s === FILE_MB * MB);
        });
      }
      if (point === 'after the 200') {
        for (const { f, up } of uploads) assert.equal(await up.response, 200, `PutFile ${f}`);
      }
    }
    const tempsAtKill = await tempFiles(folder);
    const outcome: string[] = [];
    await kill9(serve);
    for (const { up } of uploads) await up.response; // settle the client side (errors or statuses)
    if (point === 'before any body byte' || point === 'mid-body') {
      assert.ok(tempsAtKill.length > 0, 'the kill left temp files behind for the restart to clean');
    }

    serve = await startServe(folder, dataDir);
    assert.deepEqual(await tempFiles(folder), [], 'temp files are removed on start');
    for (const f of FILES) {
      const oldSha = current.get(f)!.sha;
      const newSha = shaOfGen(f, gen);
      const disk = await shaOfFile(path.join(folder, f));
      assert.ok(disk === oldSha || disk === newSha, `${f} after a kill ${point}: neither old nor new bytes`);
      if (point === 'before any body byte' || point === 'mid-body')
        assert.equal(disk, oldSha, `${f} must be unchanged`);
      if (point === 'after the 200') assert.equal(disk, newSha, `${f}: a 200 PutFile must survive the kill`);
      if (disk === newSha) current.set(f, { gen, sha: newSha });
      outcome.push(`${f}: ${disk === newSha ? 'new' : 'old'}`);

      // The engine tells the truth about what is on disk, and still serves it.
      const info = await checkFileInfo(target(f));
      expectStatus(info, 200, `CheckFileInfo ${f}`);
      const json = info.json();
      assert.equal(json['SHA256'], Buffer.from(disk, 'hex').toString('base64'), `${f} SHA256`);
      assert.equal(json['Size'], FILE_MB * MB);
      assert.equal(
        json['Version'] === versionsBefore.get(f),
        disk === oldSha,
        `${f}: Version changes iff the bytes did`,
      );
      const body = await getFileSha(target(f));
      assert.equal(body.status, 200);
      assert.equal(body.sha, disk, `${f} GetFile bytes`);
    }
    t.diagnostic(`${tempsAtKill.length} temp file(s) at the kill; after restart ${outcome.join(', ')}`);
  }

  it('before any body byte: every file keeps its old bytes', (t) => crashRound(t, 'before any body byte'));
  it('mid-body: every file keeps its old bytes', (t) => crashRound(t, 'mid-body'));
  it('right after the last byte: every file holds old or new, never a mix', (t) =>
    crashRound(t, 'right after the last byte'));
  it('after the 200: every file holds the new bytes', (t) => crashRound(t, 'after the 200'));
});
