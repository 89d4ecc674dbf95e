// `npm run bench`: what the workbench costs next to two baselines doing the same trivial job, measured in
// one run on this machine: a bare node:http server, and a bare Express 5 app (so the report separates what
// Express costs from what our logic costs). (a) CheckFileInfo req/s and p99 (autocannon); (b) GetFile/PutFile
// MB/s on a 100 MB file; (c) peak RSS of the workbench process while streaming 100 MB vs 1 GB each way, which
// must not grow with file size. Prints a table of ratios and writes the same numbers as JSON. Not part of
// `npm test`, and no timed assertions: the numbers are for reading, the machine decides them.
//
//   npm run bench [-- --out <file.json>] [--rounds N] [--peer-url <CheckFileInfo URL> --peer-name <label>]
//   --out (or BENCH_OUT): where the JSON goes (default .bench/results.json).
//   --rounds (or BENCH_ROUNDS, default 3): CheckFileInfo loads taken in N interleaved rounds, medians kept
//   (one pass on the shared 2-core machine put workbench/bare-Express anywhere from 0.28 to 0.76).
//   --peer-url (or BENCH_PEER_URL): an outside WOPI host's CheckFileInfo URL, already running, loaded with
//   the same autocannon settings in the same run (how the node-wopi-server comparison is taken);
//   --peer-pids (BENCH_PEER_PIDS) a,b: its processes, so its CPU per request is reported too.
// CPU µs per CheckFileInfo (server process user+system time over the measured requests) is printed next to
// req/s: on a shared machine it moves far less than req/s does.
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
import { parseArgs } from 'node:util';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cliPath = path.join(repoRoot, 'bin', 'wopi-workbench.mjs');
const MB = 1024 * 1024;
const CANNON = { connections: 50, duration: 10, warmup: 2 };
const THROUGHPUT_MB = 100;
const THROUGHPUT_RUNS = 5;
const RSS_SIZES_MB = [100, 1024];
const LOCK_ID = 'BENCH-LOCK';
/** USER_HZ: /proc times are in these ticks; 100 on every Linux build this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

const { values: flags } = parseArgs({
  options: {
    out: { type: 'string' },
    'peer-url': { type: 'string' },
    'peer-name': { type: 'string' },
    rounds: { type: 'string' },
    'peer-pids': { type: 'string' },
  },
});
const args = {
  out: path.resolve(flags.out ?? process.env['BENCH_OUT'] ?? path.join(repoRoot, '.bench', 'results.json')),
  peerUrl: flags['peer-url'] ?? process.env['BENCH_PEER_URL'],
  peerName: flags['peer-name'] ?? process.env['BENCH_PEER_NAME'] ?? 'peer',
  rounds: Number(flags.rounds ?? process.env['BENCH_ROUNDS'] ?? 3),
  /** Processes whose CPU time is the peer's cost per request (its server, and e.g. its discovery stub). */
  peerPids: (flags['peer-pids'] ?? process.env['BENCH_PEER_PIDS'] ?? '')
    .split(',')
    .filter(Boolean)
    .map(Number),
};
if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds takes a whole number ≥ 1');

/** The three servers of every run, in the order they are loaded. */
const TARGETS = ['workbench', 'bareNode', 'bareExpress'] as const;
type Target = (typeof TARGETS)[number];

interface Ratios {
  workbenchOverBareNode: number;
  workbenchOverBareExpress: number;
  bareExpressOverBareNode: number;
}

function ratios(workbench: number, bareNode: number, bareExpress: number): Ratios {
  const q = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;
  return {
    workbenchOverBareNode: q(workbench, bareNode),
    workbenchOverBareExpress: q(workbench, bareExpress),
    bareExpressOverBareNode: q(bareExpress, bareNode),
  };
}

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

/**
 * Baseline 1: node:http doing the same jobs with nothing else (prebuilt JSON, pipe, fsync+rename). The
 * argv layout (json, getPath, putPath) is shared with the Express baseline below.
 */
const BARE_NODE_SERVER = `
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

/**
 * Baseline 2: a bare Express 5 app (the issue-10 HTTP layer) doing the same trivial work, so the report
 * separates what Express costs from what our logic costs. x-powered-by and ETag are off (the engine sends
 * neither); CheckFileInfo goes through res.json of the same object (serialised per request, as a real
 * handler would); GetFile/PutFile stream the same bytes the node:http baseline does, through Express
 * routing and its response object.
 */
const BARE_EXPRESS_SERVER = `
const express = require('express');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const [json, getPath, putPath] = process.argv.slice(1);
const info = JSON.parse(json);
let n = 0;
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/info', (req, res) => {
  res.json(info);
});
app.get('/contents', (req, res, next) => {
  fs.stat(getPath, (e, st) => {
    if (e) return next(e);
    res.status(200).set({ 'content-type': 'application/octet-stream', 'content-length': String(st.size) });
    fs.createReadStream(getPath).pipe(res);
  });
});
app.post('/contents', (req, res, next) => {
  const tmp = putPath + '.tmp' + (n++);
  const out = fs.createWriteStream(tmp);
  req.pipe(out);
  out.on('finish', async () => {
    try {
      const fh = await fsp.open(tmp, 'r+');
      await fh.sync();
      await fh.close();
      await fsp.rename(tmp, putPath);
      res.status(200).end();
    } catch (e) {
      next(e);
    }
  });
});
const server = app.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })),
);
server.requestTimeout = 0;
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

/** User + system CPU seconds of these processes so far (all threads), from /proc/<pid>/stat. */
async function cpuSeconds(pids: number[]): Promise<number> {
  let ticks = 0;
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / CLOCK_TICKS;
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
    const baselineArgs = (tag: string): string[] => [
      info.text,
      path.join(src, 'bare-get.bin'),
      path.join(src, `${tag}-put.bin`),
    ];
    const bareNode = await spawnReady(['-e', BARE_NODE_SERVER, ...baselineArgs('node')], 'url');
    const bareExpress = await spawnReady(['-e', BARE_EXPRESS_SERVER, ...baselineArgs('express')], 'url');
    const urls: Record<Target, { info: string; contents: string }> = {
      workbench: { info: infoUrl, contents: `${big.src}/contents?access_token=${big.token}` },
      bareNode: { info: `${bareNode.ready['url']!}/info`, contents: `${bareNode.ready['url']!}/contents` },
      bareExpress: {
        info: `${bareExpress.ready['url']!}/info`,
        contents: `${bareExpress.ready['url']!}/contents`,
      },
    };
    // Same bytes from every server, or the comparison means nothing.
    for (const t of ['bareNode', 'bareExpress'] as const) {
      const r = await request(urls[t].info);
      if (r.status !== 200 || r.text !== info.text)
        throw new Error(`${t} CheckFileInfo differs from the workbench's (${r.status}, ${r.bytes} B)`);
    }

    // (a) CheckFileInfo under load: same JSON bytes, same client, same run, one server at a time.
    console.log(
      `(a) CheckFileInfo: autocannon -c ${CANNON.connections} -d ${CANNON.duration} (${info.bytes}-byte JSON)` +
        (args.rounds > 1 ? `, ${args.rounds} interleaved rounds, medians…` : '…'),
    );
    const cannon = async (url: string, pids: number[]): Promise<CfiRun> => {
      await autocannon({ url, connections: CANNON.connections, duration: CANNON.warmup });
      const cpu0 = await cpuSeconds(pids);
      const r = await autocannon({ url, connections: CANNON.connections, duration: CANNON.duration });
      const cpu = (await cpuSeconds(pids)) - cpu0;
      return {
        reqPerSec: round(r.requests.average),
        p50ms: r.latency.p50,
        p99ms: r.latency.p99,
        cpuUsPerReq: pids.length && r.requests.total ? round((cpu * 1e6) / r.requests.total) : null,
        errors: r.errors + r.timeouts,
        non2xx: r.non2xx,
      };
    };
    // With --rounds N the servers take turns N times and each figure is the median of its N runs: on a
    // shared machine a load spike then hits every server instead of whichever one happened to be running.
    const pidOf: Record<Target, number> = {
      workbench: engine.child.pid!,
      bareNode: bareNode.child.pid!,
      bareExpress: bareExpress.child.pid!,
    };
    const loads: [string, string, number[]][] = TARGETS.map((t) => [t, urls[t].info, [pidOf[t]]]);
    if (args.peerUrl) loads.push(['peer', args.peerUrl, args.peerPids]);
    const perRound = new Map<string, CfiRun[]>(loads.map(([name]) => [name, []]));
    for (let i = 0; i < args.rounds; i++)
      for (const [name, url, pids] of loads) perRound.get(name)!.push(await cannon(url, pids));
    const medianOrNull = (xs: (number | null)[]): number | null =>
      xs.every((x) => x !== null) ? median(xs as number[]) : null;
    const medianRun = (xs: CfiRun[]): CfiRun => ({
      reqPerSec: round(median(xs.map((x) => x.reqPerSec))),
      p50ms: median(xs.map((x) => x.p50ms)),
      p99ms: median(xs.map((x) => x.p99ms)),
      cpuUsPerReq: medianOrNull(xs.map((x) => x.cpuUsPerReq)),
      errors: xs.reduce((n, x) => n + x.errors, 0),
      non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
    });
    const cfiRuns = {} as Record<Target, CfiRun>;
    for (const t of TARGETS) cfiRuns[t] = medianRun(perRound.get(t)!);
    const cfi: CfiResult = {
      jsonBytes: info.bytes,
      rounds: args.rounds,
      ...cfiRuns,
      ratios: {
        reqPerSec: ratios(
          cfiRuns.workbench.reqPerSec,
          cfiRuns.bareNode.reqPerSec,
          cfiRuns.bareExpress.reqPerSec,
        ),
        p99ms: ratios(cfiRuns.workbench.p99ms, cfiRuns.bareNode.p99ms, cfiRuns.bareExpress.p99ms),
        cpuUsPerReq: ratios(
          cfiRuns.workbench.cpuUsPerReq!,
          cfiRuns.bareNode.cpuUsPerReq!,
          cfiRuns.bareExpress.cpuUsPerReq!,
        ),
      },
    };
    if (args.peerUrl) {
      // An outside host (e.g. node-wopi-server) already running: same client, same settings, same run.
      const peer = medianRun(perRound.get('peer')!);
      cfi.peer = {
        name: args.peerName,
        url: args.peerUrl,
        ...peer,
        workbenchOverPeer: round(cfiRuns.workbench.reqPerSec / peer.reqPerSec, 3),
        peerCpuOverWorkbenchCpu:
          peer.cpuUsPerReq === null ? null : round(peer.cpuUsPerReq / cfiRuns.workbench.cpuUsPerReq!, 3),
      };
    }
    if (args.rounds > 1) cfi.eachRound = Object.fromEntries(perRound);
    results['checkFileInfo'] = cfi;

    // (b) GetFile / PutFile of a 100 MB file, the three servers interleaved, median of runs.
    console.log(`(b) GetFile/PutFile ${THROUGHPUT_MB} MB × ${THROUGHPUT_RUNS} each…`);
    const lock = await request(`${big.src}?access_token=${big.token}`, {
      method: 'POST',
      headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': LOCK_ID },
    });
    if (lock.status !== 200) throw new Error(`Lock answered ${lock.status}`);
    const size = THROUGHPUT_MB * MB;
    const mbps = (r: { ms: number }): number => size / MB / (r.ms / 1000);
    const putHeaders: Record<Target, Record<string, string>> = {
      workbench: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': LOCK_ID },
      bareNode: {},
      bareExpress: {},
    };
    const gets: Record<Target, number[]> = { workbench: [], bareNode: [], bareExpress: [] };
    const puts: Record<Target, number[]> = { workbench: [], bareNode: [], bareExpress: [] };
    for (let i = 0; i < THROUGHPUT_RUNS; i++) {
      // Alternate two contents so every workbench PutFile really replaces bytes (and keeps a version).
      const body = path.join(src, i % 2 ? 'put-a.bin' : 'put-b.bin');
      for (const t of TARGETS) {
        const g = await request(urls[t].contents);
        if (g.status !== 200 || g.bytes !== size)
          throw new Error(`${t} GetFile answered ${g.status} with ${g.bytes} bytes`);
        gets[t].push(mbps(g));
        const p = await request(urls[t].contents, {
          method: 'POST',
          headers: putHeaders[t],
          bodyFile: body,
          bodySize: size,
        });
        if (p.status !== 200) throw new Error(`${t} PutFile answered ${p.status}`);
        puts[t].push(mbps(p));
      }
    }
    const throughputOf = (xs: Record<Target, number[]>): ThroughputRow => {
      const m = {
        workbench: median(xs.workbench),
        bareNode: median(xs.bareNode),
        bareExpress: median(xs.bareExpress),
      };
      return {
        workbenchMBps: round(m.workbench),
        bareNodeMBps: round(m.bareNode),
        bareExpressMBps: round(m.bareExpress),
        ratios: ratios(m.workbench, m.bareNode, m.bareExpress),
      };
    };
    const tp: ThroughputResult = {
      fileMb: THROUGHPUT_MB,
      runs: THROUGHPUT_RUNS,
      getFile: throughputOf(gets),
      putFile: throughputOf(puts),
    };
    results['throughput'] = tp;
    await stopChild(bareExpress.child);
    await stopChild(bareNode.child);
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

    printTable(cfi, tp, rss, peakRatio, flat);
    await mkdir(path.dirname(args.out), { recursive: true });
    await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `\nWrote ${args.out} (${seconds} s; load average ${String(results['loadAvgAtStart'])} at start).`,
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

interface CfiRun {
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  /** Server CPU (user + system, all threads) per measured request; null when no pid was given. */
  cpuUsPerReq: number | null;
  errors: number;
  non2xx: number;
}

type CfiResult = {
  jsonBytes: number;
  rounds: number;
  eachRound?: Record<string, CfiRun[]>;
  ratios: { reqPerSec: Ratios; p99ms: Ratios; cpuUsPerReq: Ratios };
} & Record<Target, CfiRun> & {
    peer?: CfiRun & {
      name: string;
      url: string;
      workbenchOverPeer: number;
      peerCpuOverWorkbenchCpu: number | null;
    };
  };

interface ThroughputRow {
  workbenchMBps: number;
  bareNodeMBps: number;
  bareExpressMBps: number;
  ratios: Ratios;
}

interface ThroughputResult {
  fileMb: number;
  runs: number;
  getFile: ThroughputRow;
  putFile: ThroughputRow;
}

function printTable(
  cfi: CfiResult,
  tp: ThroughputResult,
  rss: RssRow[],
  peakRatio: number,
  flat: boolean,
): void {
  const r = (x: Ratios): string[] => [
    String(x.workbenchOverBareNode),
    String(x.workbenchOverBareExpress),
    String(x.bareExpressOverBareNode),
  ];
  const rows: string[][] = [
    ['measure', 'workbench', 'bare node', 'bare Express', 'wb/node', 'wb/Express', 'Express/node'],
    [
      `CheckFileInfo req/s (${cfi.jsonBytes} B${cfi.rounds > 1 ? `, median of ${cfi.rounds}` : ''})`,
      String(cfi.workbench.reqPerSec),
      String(cfi.bareNode.reqPerSec),
      String(cfi.bareExpress.reqPerSec),
      ...r(cfi.ratios.reqPerSec),
    ],
    [
      'CheckFileInfo CPU µs/req',
      String(cfi.workbench.cpuUsPerReq),
      String(cfi.bareNode.cpuUsPerReq),
      String(cfi.bareExpress.cpuUsPerReq),
      ...r(cfi.ratios.cpuUsPerReq),
    ],
    [
      'CheckFileInfo p99 ms',
      String(cfi.workbench.p99ms),
      String(cfi.bareNode.p99ms),
      String(cfi.bareExpress.p99ms),
      ...r(cfi.ratios.p99ms),
    ],
    ...(['getFile', 'putFile'] as const).map((k) => [
      `${k === 'getFile' ? 'GetFile' : 'PutFile'} MB/s (${tp.fileMb} MB, median of ${tp.runs})`,
      String(tp[k].workbenchMBps),
      String(tp[k].bareNodeMBps),
      String(tp[k].bareExpressMBps),
      ...r(tp[k].ratios),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log('');
  for (const row of rows)
    console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log(
    '(req/s and MB/s ratios: higher is faster for the numerator; CPU and p99 ratios: higher is costlier.)',
  );
  const errs = TARGETS.filter((t) => cfi[t].errors || cfi[t].non2xx);
  if (errs.length) console.log(`CheckFileInfo errors or non-2xx under load from: ${errs.join(', ')}`);
  if (cfi.peer) {
    const p = cfi.peer;
    console.log(
      `\nPeer ${p.name} CheckFileInfo (${p.url}): ${p.reqPerSec} req/s, p99 ${p.p99ms} ms, ` +
        `${p.errors} errors, ${p.non2xx} non-2xx; workbench / peer = ${p.workbenchOverPeer}` +
        (p.cpuUsPerReq === null
          ? ''
          : `\n  CPU ${p.cpuUsPerReq} µs/req (pids ${args.peerPids.join(', ')}); peer CPU / workbench CPU = ${p.peerCpuOverWorkbenchCpu}`),
    );
  }
  console.log('\nWorkbench peak RSS (MB), fresh process per size:');
  console.log('  size MB   idle   GetFile peak   PutFile peak   growth');
  for (const row of rss) {
    console.log(
      `  ${String(row.sizeMb).padStart(7)}  ${String(row.idleMb).padStart(5)}  ${String(row.getPeakMb).padStart(13)}  ${String(row.putPeakMb).padStart(13)}  ${String(row.growthMb).padStart(7)}   (${row.peakFrom})`,
    );
  }
  console.log(
    `  peak ratio ${RSS_SIZES_MB[1]} MB / ${RSS_SIZES_MB[0]} MB: ${peakRatio} → ${flat ? 'flat (does not grow with size)' : 'GROWS with file size'}`,
  );
}

await main();
