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
//   --only proxy (or BENCH_ONLY=proxy): only (d), the inspecting proxy's cost (quick).
//   --only faults: only (e), what fault rules cost CheckFileInfo (faults.ts).
// (d) the inspecting proxy: `serve --upstream` in front of the same workbench, CheckFileInfo added
// latency (p50/p95) and GetFile/PutFile throughput through it vs direct (proxy.ts).
// CPU µs per CheckFileInfo (server process user+system time over the measured requests) is printed next to
// req/s: on a shared machine it moves far less than req/s does.
// The parts, one job each: common.ts (shared figures), processes.ts (the workbench through its CLI),
// baselines.ts (bare node:http and bare Express), http.ts (client, sized files), load.ts (a),
// streaming.ts (b), memory.ts (c), report.ts (the table). This file parses the flags and runs them.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBaselines } from './baselines';
import { repoRoot, round, type Target } from './common';
import { request, writeSized } from './http';
import { CANNON, measureCheckFileInfo } from './load';
import { measureRss, RSS_SIZES_MB } from './memory';
import { children, startEngine, startProxy, stopChild, tokenFor } from './processes';
import { measureFaults, printFaults } from './faults';
import { measureProxy, printProxy } from './proxy';
import type { ProxyResult } from './proxy';
import { printTable } from './report';
import { measureThroughput, THROUGHPUT_MB, THROUGHPUT_RUNS } from './streaming';

const { values: flags } = parseArgs({
  options: {
    out: { type: 'string' },
    'peer-url': { type: 'string' },
    'peer-name': { type: 'string' },
    rounds: { type: 'string' },
    'peer-pids': { type: 'string' },
    only: { type: 'string' },
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
const only = flags.only ?? process.env['BENCH_ONLY'];
if (!Number.isInteger(args.rounds) || args.rounds < 1) throw new Error('--rounds takes a whole number ≥ 1');
if (only !== undefined && only !== 'proxy' && only !== 'faults')
  throw new Error('--only takes: proxy or faults');

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

    // (d) The inspecting proxy in front of this same workbench: what forwarding costs.
    const proxyPart = async (): Promise<ProxyResult> => {
      await mkdir(path.join(root, 'proxy-folder'), { recursive: true });
      const proxy = await startProxy(
        engine.url,
        path.join(root, 'proxy-folder'),
        path.join(root, 'proxy-data'),
      );
      try {
        console.log(
          `(d) the inspecting proxy: CheckFileInfo latency and GetFile/PutFile ${THROUGHPUT_MB} MB, direct vs proxied…`,
        );
        const via = (u: string): string => u.replace(engine.url, proxy.url);
        return await measureProxy(
          { direct: infoUrl, proxied: via(infoUrl) },
          {
            direct: `${big.src}?access_token=${big.token}`,
            proxied: via(`${big.src}?access_token=${big.token}`),
          },
          [path.join(src, 'put-a.bin'), path.join(src, 'put-b.bin')],
        );
      } finally {
        await stopChild(proxy.child);
      }
    };
    if (only === 'faults') {
      console.log(
        `(e) fault rules: CheckFileInfo with none, 50 on other files, 1 firing (${args.rounds} rounds)…`,
      );
      const fx = await measureFaults(infoUrl, engine.child.pid!, engine.control, args.rounds);
      results['faults'] = fx;
      printFaults(fx);
      await mkdir(path.dirname(args.out), { recursive: true });
      await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
      console.log(`\nWrote ${args.out} (${round((Date.now() - started) / 1000)} s).`);
      return;
    }
    if (only === 'proxy') {
      const px = await proxyPart();
      results['proxy'] = px;
      printProxy(px);
      await mkdir(path.dirname(args.out), { recursive: true });
      await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
      console.log(`\nWrote ${args.out} (${round((Date.now() - started) / 1000)} s).`);
      return;
    }
    const { bareNode, bareExpress } = await startBaselines(info.text, path.join(src, 'bare-get.bin'), (tag) =>
      path.join(src, `${tag}-put.bin`),
    );
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
    const cfi = await measureCheckFileInfo({
      jsonBytes: info.bytes,
      rounds: args.rounds,
      urls: {
        workbench: urls.workbench.info,
        bareNode: urls.bareNode.info,
        bareExpress: urls.bareExpress.info,
      },
      pids: {
        workbench: engine.child.pid!,
        bareNode: bareNode.child.pid!,
        bareExpress: bareExpress.child.pid!,
      },
      peer: args.peerUrl ? { name: args.peerName, url: args.peerUrl, pids: args.peerPids } : undefined,
    });
    results['checkFileInfo'] = cfi;

    // (b) GetFile / PutFile of a 100 MB file, the three servers interleaved, median of runs.
    console.log(`(b) GetFile/PutFile ${THROUGHPUT_MB} MB × ${THROUGHPUT_RUNS} each…`);
    const tp = await measureThroughput(
      {
        workbench: urls.workbench.contents,
        bareNode: urls.bareNode.contents,
        bareExpress: urls.bareExpress.contents,
      },
      `${big.src}?access_token=${big.token}`,
      [path.join(src, 'put-a.bin'), path.join(src, 'put-b.bin')],
    );
    results['throughput'] = tp;
    const px = await proxyPart();
    results['proxy'] = px;
    await stopChild(bareExpress.child);
    await stopChild(bareNode.child);
    await stopChild(engine.child);
    await rm(path.join(root, 'data'), { recursive: true, force: true });
    await rm(folder, { recursive: true, force: true });

    // (c) Peak RSS of a fresh engine process per file size, for one download and one upload.
    console.log(`(c) peak RSS while streaming ${RSS_SIZES_MB.join(' MB and ')} MB…`);
    const rss = await measureRss(root);
    results['rss'] = rss;
    const seconds = round((Date.now() - started) / 1000);
    results['seconds'] = seconds;
    results['loadAvgAtEnd'] = os.loadavg().map((x) => round(x, 2));

    printTable(cfi, tp, rss, args.peerPids);
    printProxy(px);
    await mkdir(path.dirname(args.out), { recursive: true });
    await writeFile(args.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(
      `\nWrote ${args.out} (${seconds} s; load average ${String(results['loadAvgAtStart'])} at start).`,
    );
    if (!rss.flat) process.exitCode = 1;
  } finally {
    for (const c of [...children]) await stopChild(c);
    await rm(root, { recursive: true, force: true });
  }
}

await main();
