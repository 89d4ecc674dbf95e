// `npm run bench`: what the engine costs next to a bare node:http server doing the same job, measured in
// one run on this machine. (a) CheckFileInfo req/s and p99 (autocannon); (b) GetFile/PutFile MB/s on a
// 100 MB file; (c) peak RSS of the engine process while streaming 100 MB vs 1 GB each way, which must
// not grow with file size. Prints a table and writes .bench/results.json. Not part of `npm test`.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = path.join(repoRoot, 'bin', 'wopi-workbench.mjs');
const MB = 1024 * 1024;
const CANNON = { connections: 50, duration: 10, warmup: 2 };
const THROUGHPUT_MB = 100;
const THROUGHPUT_RUNS = 5;
const RSS_SIZES_MB = [100, 1024];
const LOCK_ID = 'BENCH-LOCK';

// autocannon ships no types; this is the slice of its API used here.
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Cannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

// --- processes ------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Spawn a node process that prints one JSON line with `key`; resolve with that line. */
async function spawnReady(
  args: string[],
  key: string,
): Promise<{ child: ChildProcess; ready: Record<string, string> }> {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s\n${err}`)), 60_000);
    lines.on('line', (line) => {
      try {
        const v = JSON.parse(line) as Record<string, string>;
        if (v[key]) {
          clearTimeout(timer);
          resolve(v);
        }
      } catch {
        /* not JSON */
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`process exited before ready\n${err}`));
    });
  });
  return { child, ready };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function startEngine(folder: string, dataDir: string) {
  // --proof off: the load generator does not sign requests; --quiet: no per-request console line.
  const { child, ready } = await spawnReady(
    [cliPath, 'serve', '--folder', folder, '--data-dir', dataDir, '--json', '--quiet', '--proof', 'off'],
    'wopiUrl',
  );
  return { child, url: ready['wopiUrl']! };
}

/** The baseline: node:http doing the same jobs with nothing else (prebuilt JSON, pipe, fsync+rename). */
const BARE_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const [json, getPath, putPath] = process.argv.slice(1);
const body = Buffer.from(json);
let n = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/info')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  } else if (req.method === 'GET' && req.url.startsWith('/contents')) {
    fs.stat(getPath, (e, st) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size });
      fs.createReadStream(getPath).pipe(res);
    });
  } else if (req.method === 'POST' && req.url.startsWith('/contents')) {
    const tmp = putPath + '.tmp' + (n++);
    const out = fs.createWriteStream(tmp);
    req.pipe(out);
    out.on('finish', async () => {
      const fh = await fsp.open(tmp, 'r+');
      await fh.sync();
      await fh.close();
      await fsp.rename(tmp, putPath);
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    });
  } else {
    res.writeHead(404).end();
  }
});
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
`;

// --- HTTP helpers ---------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true });

function request(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; bodyFile?: string; bodySize?: number } = {},
): Promise<{ status: number; bytes: number; ms: number; text: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const headers = { ...opts.headers };
    if (opts.method === 'POST') headers['content-length'] = String(opts.bodySize ?? 0);
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent }, (res) => {
      let bytes = 0;
      const keep: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes <= 64 * 1024) keep.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          bytes,
          ms: performance.now() - t0,
          text: Buffer.concat(keep).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.bodyFile) createReadStream(opts.bodyFile, { highWaterMark: MB }).pipe(req);
    else req.end();
  });
}

async function writeSized(file: string, sizeMb: number, seed: string): Promise<void> {
  const block = Buffer.alloc(MB, seed);
  const out = createWriteStream(file);
  for (let i = 0; i < sizeMb; i++) {
    block.writeUInt32BE(i, 0);
    if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

// --- RSS ------------------------------------------------------------------------------------------------

async function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/** Reset VmHWM (Linux ≥ 4.0: write 5 to clear_refs); false when not allowed. */
async function resetPeak(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak RSS (MB) of `pid` during `work`: VmHWM after a reset, cross-checked by sampling VmRSS every 20 ms. */
async function peakDuring(
  pid: number,
  work: () => Promise<unknown>,
): Promise<{ peakMb: number; sampledMb: number; hwmReset: boolean }> {
  const hwmReset = await resetPeak(pid);
  let sampled = await procStatusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    procStatusKb(pid, 'VmRSS').then(
      (kb) => (sampled = Math.max(sampled, kb)),
      () => undefined,
    );
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  const hwm = hwmReset ? await procStatusKb(pid, 'VmHWM') : sampled;
  return { peakMb: Math.max(hwm, sampled) / 1024, sampledMb: sampled / 1024, hwmReset };
}

// --- the benchmark --------------------------------------------------------------------------------------

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;

function tokenFor(engineUrl: string, dataDir: string, rel: string): Promise<{ src: string; token: string }> {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  const args = [cliPath, 'token', '--data-dir', dataDir, '--file', rel, '--json'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`token ${rel}: ${stderr}`));
      const g = JSON.parse(stdout.trim()) as { wopiSrc: string; accessToken: string };
      resolve({ src: `${engineUrl}/wopi/files/${g.wopiSrc.split('/').pop()!}`, token: g.accessToken });
    });
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'wb-bench-'));
  const results: Record<string, unknown> = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    loadAvgAtStart: os.loadavg().map((x) => round(x, 2)),
  };
  try {
    const folder = path.join(root, 'folder');
    const src = path.join(root, 'src');
    await mkdir(folder);
    await mkdir(src);
    await writeFile(path.join(folder, 'doc.docx'), 'a small document for CheckFileInfo');
    await writeSized(path.join(folder, 'big.bin'), THROUGHPUT_MB, 'engine-big ');
    await writeSized(path.join(src, 'put-a.bin'), THROUGHPUT_MB, 'put A ');
    await writeSized(path.join(src, 'put-b.bin'), THROUGHPUT_MB, 'put B ');
    await writeSized(path.join(src, 'bare-get.bin'), THROUGHPUT_MB, 'engine-big ');

    const engine = await startEngine(folder, path.join(root, 'data'));
    const doc = await tokenFor(engine.url, path.join(root, 'data'), 'doc.docx');
    const big = await tokenFor(engine.url, path.join(root, 'data'), 'big.bin');
    const infoUrl = `${doc.src}?access_token=${doc.token}`;
    const info = await request(infoUrl);
    if (info.status !== 200) throw new Error(`CheckFileInfo answered ${info.status}: ${info.text}`);
    const bare = await spawnReady(
      ['-e', BARE_SERVER, info.text, path.join(src, 'bare-get.bin'), path.join(src, 'bare-put.bin')],
      'url',
    );
    const bareUrl = bare.ready['url']!;

    // (a) CheckFileInfo under load: same JSON bytes, same client, same run.
    console.log(
      `(a) CheckFileInfo: autocannon -c ${CANNON.connections} -d ${CANNON.duration} (${info.bytes}-byte JSON)…`,
    );
    const cannon = async (url: string): Promise<CannonResult> => {
      await autocannon({ url, connections: CANNON.connections, duration: CANNON.warmup });
      return autocannon({ url, connections: CANNON.connections, duration: CANNON.duration });
    };
    const eCfi = await cannon(infoUrl);
    const bCfi = await cannon(`${bareUrl}/info`);
    const cfi = {
      jsonBytes: info.bytes,
      engine: {
        reqPerSec: round(eCfi.requests.average),
        p50ms: eCfi.latency.p50,
        p99ms: eCfi.latency.p99,
        errors: eCfi.errors + eCfi.timeouts,
        non2xx: eCfi.non2xx,
      },
      bare: {
        reqPerSec: round(bCfi.requests.average),
        p50ms: bCfi.latency.p50,
        p99ms: bCfi.latency.p99,
        errors: bCfi.errors + bCfi.timeouts,
        non2xx: bCfi.non2xx,
      },
      ratio: round(eCfi.requests.average / bCfi.requests.average, 3),
    };
    results['checkFileInfo'] = cfi;

    // (b) GetFile / PutFile of a 100 MB file, interleaved engine/bare, median of runs.
    console.log(`(b) GetFile/PutFile ${THROUGHPUT_MB} MB × ${THROUGHPUT_RUNS} each…`);
    const lock = await request(`${big.src}?access_token=${big.token}`, {
      method: 'POST',
      headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': LOCK_ID },
    });
    if (lock.status !== 200) throw new Error(`Lock answered ${lock.status}`);
    const size = THROUGHPUT_MB * MB;
    const mbps = (r: { ms: number }): number => size / MB / (r.ms / 1000);
    const eGet: number[] = [];
    const bGet: number[] = [];
    const ePut: number[] = [];
    const bPut: number[] = [];
    for (let i = 0; i < THROUGHPUT_RUNS; i++) {
      const g1 = await request(`${big.src}/contents?access_token=${big.token}`);
      const g2 = await request(`${bareUrl}/contents`);
      if (g1.status !== 200 || g1.bytes !== size || g2.bytes !== size)
        throw new Error('GetFile returned the wrong size');
      eGet.push(mbps(g1));
      bGet.push(mbps(g2));
      // Alternate two contents so every engine PutFile really replaces bytes (and keeps a version).
      const body = path.join(src, i % 2 ? 'put-a.bin' : 'put-b.bin');
      const p1 = await request(`${big.src}/contents?access_token=${big.token}`, {
        method: 'POST',
        headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': LOCK_ID },
        bodyFile: body,
        bodySize: size,
      });
      const p2 = await request(`${bareUrl}/contents`, { method: 'POST', bodyFile: body, bodySize: size });
      if (p1.status !== 200 || p2.status !== 200)
        throw new Error(`PutFile answered ${p1.status} / ${p2.status}`);
      ePut.push(mbps(p1));
      bPut.push(mbps(p2));
    }
    results['throughput'] = {
      fileMb: THROUGHPUT_MB,
      runs: THROUGHPUT_RUNS,
      getFile: {
        engineMBps: round(median(eGet)),
        bareMBps: round(median(bGet)),
        ratio: round(median(eGet) / median(bGet), 3),
      },
      putFile: {
        engineMBps: round(median(ePut)),
        bareMBps: round(median(bPut)),
        ratio: round(median(ePut) / median(bPut), 3),
      },
    };
    await stopChild(bare.child);
    await stopChild(engine.child);
    await rm(path.join(root, 'data'), { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });

    // (c) Peak RSS of a fresh engine process per file size, for one download and one upload.
    console.log(`(c) peak RSS while streaming ${RSS_SIZES_MB.join(' MB and ')} MB…`);
    const rss: RssRow[] = [];
    for (const sizeMb of RSS_SIZES_MB) {
      const dir = path.join(root, `rss-${sizeMb}`);
      const dataDir = path.join(root, `rss-${sizeMb}-data`);
      const upload = path.join(root, `rss-${sizeMb}-upload.bin`);
      await mkdir(dir);
      await writeSized(path.join(dir, 'file.bin'), sizeMb, 'rss old ');
      await writeSized(upload, sizeMb, 'rss new ');
      const e = await startEngine(dir, dataDir);
      const t = await tokenFor(e.url, dataDir, 'file.bin');
      const pid = e.child.pid!;
      await request(`${t.src}?access_token=${t.token}`);
      const idleMb = (await procStatusKb(pid, 'VmRSS')) / 1024;
      const get = await peakDuring(pid, async () => {
        const r = await request(`${t.src}/contents?access_token=${t.token}`);
        if (r.bytes !== sizeMb * MB) throw new Error(`GetFile ${sizeMb} MB returned ${r.bytes} bytes`);
      });
      await request(`${t.src}?access_token=${t.token}`, {
        method: 'POST',
        headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': LOCK_ID },
      });
      const put = await peakDuring(pid, async () => {
        const r = await request(`${t.src}/contents?access_token=${t.token}`, {
          method: 'POST',
          headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': LOCK_ID },
          bodyFile: upload,
          bodySize: sizeMb * MB,
        });
        if (r.status !== 200) throw new Error(`PutFile ${sizeMb} MB answered ${r.status}`);
      });
      if ((await stat(path.join(dir, 'file.bin'))).size !== sizeMb * MB)
        throw new Error('upload size mismatch');
      rss.push({
        sizeMb,
        idleMb: round(idleMb),
        getPeakMb: round(get.peakMb),
        putPeakMb: round(put.peakMb),
        growthMb: round(Math.max(get.peakMb, put.peakMb) - idleMb),
        peakFrom:
          get.hwmReset && put.hwmReset ? 'VmHWM after reset + sampled VmRSS' : 'sampled VmRSS (20 ms)',
      });
      await stopChild(e.child);
      await rm(dir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
      await rm(upload, { force: true });
    }
    const [small, large] = rss as [RssRow, RssRow];
    const peakRatio = round(
      Math.max(large.getPeakMb, large.putPeakMb) / Math.max(small.getPeakMb, small.putPeakMb),
      3,
    );
    // "Does not grow with size": 10× the bytes may cost at most 1.5× the peak (GC timing varies).
    const flat = peakRatio <= 1.5;
    results['rss'] = { runs: rss, peakRatio, flat };
    const seconds = round((Date.now() - started) / 1000);
    results['seconds'] = seconds;
    results['loadAvgAtEnd'] = os.loadavg().map((x) => round(x, 2));

    printTable(cfi, results['throughput'] as ThroughputResult, rss, peakRatio, flat);
    const outDir = path.join(repoRoot, '.bench');
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `\nWrote ${path.relative(repoRoot, path.join(outDir, 'results.json'))} (${seconds} s; load average ${String(results['loadAvgAtStart'])} at start).`,
    );
    if (!flat) process.exitCode = 1;
  } finally {
    for (const c of [...children]) await stopChild(c);
    await rm(root, { recursive: true, force: true });
  }
}

interface RssRow {
  sizeMb: number;
  idleMb: number;
  getPeakMb: number;
  putPeakMb: number;
  /** Worst peak above the idle RSS of the same process. */
  growthMb: number;
  peakFrom: string;
}

interface ThroughputResult {
  getFile: { engineMBps: number; bareMBps: number; ratio: number };
  putFile: { engineMBps: number; bareMBps: number; ratio: number };
}

function printTable(
  cfi: {
    engine: { reqPerSec: number; p99ms: number };
    bare: { reqPerSec: number; p99ms: number };
    ratio: number;
    jsonBytes: number;
  },
  tp: ThroughputResult,
  rss: RssRow[],
  peakRatio: number,
  flat: boolean,
): void {
  const rows: string[][] = [
    ['measure', 'engine', 'bare node:http', 'engine / bare'],
    [
      `CheckFileInfo req/s (${cfi.jsonBytes} B)`,
      String(cfi.engine.reqPerSec),
      String(cfi.bare.reqPerSec),
      String(cfi.ratio),
    ],
    ['CheckFileInfo p99 ms', String(cfi.engine.p99ms), String(cfi.bare.p99ms), ''],
    [
      `GetFile MB/s (${THROUGHPUT_MB} MB)`,
      String(tp.getFile.engineMBps),
      String(tp.getFile.bareMBps),
      String(tp.getFile.ratio),
    ],
    [
      `PutFile MB/s (${THROUGHPUT_MB} MB)`,
      String(tp.putFile.engineMBps),
      String(tp.putFile.bareMBps),
      String(tp.putFile.ratio),
    ],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('\nEngine peak RSS (MB), fresh process per size:');
  console.log('  size MB   idle   GetFile peak   PutFile peak   growth');
  for (const r of rss) {
    console.log(
      `  ${String(r.sizeMb).padStart(7)}  ${String(r.idleMb).padStart(5)}  ${String(r.getPeakMb).padStart(13)}  ${String(r.putPeakMb).padStart(13)}  ${String(r.growthMb).padStart(7)}   (${r.peakFrom})`,
    );
  }
  console.log(
    `  peak ratio ${RSS_SIZES_MB[1]} MB / ${RSS_SIZES_MB[0]} MB: ${peakRatio} → ${flat ? 'flat (does not grow with size)' : 'GROWS with file size'}`,
  );
}

await main();
