// (d) What the inspecting proxy costs: a second `serve --upstream <workbench>` in front of the same
// workbench, measured against that workbench directly in the same run. CheckFileInfo one request at a
// time on one kept-alive connection (the added latency, p50 and p95, proxied minus direct), and
// GetFile/PutFile of the 100 MB file through the proxy vs direct (MB/s and their ratio). Direct and
// proxied take turns, so a load spike on the shared machine hits both.
import http from 'node:http';
import { LOCK_ID, MB, median, round } from './common';
import { request } from './http';
import { THROUGHPUT_MB, THROUGHPUT_RUNS } from './streaming';

export const LATENCY = { warmup: 300, blocks: 20, perBlock: 100 };

export interface LatencyFigures {
  p50ms: number;
  p95ms: number;
}

export interface ProxyResult {
  checkFileInfo: {
    requests: number;
    direct: LatencyFigures;
    proxied: LatencyFigures;
    /** Proxied minus direct, per percentile. */
    addedP50ms: number;
    addedP95ms: number;
  };
  fileMb: number;
  runs: number;
  getFile: { directMBps: number; proxiedMBps: number; ratio: number };
  putFile: { directMBps: number; proxiedMBps: number; ratio: number };
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** One GET on a single kept-alive socket; resolves with its duration (ms), the body read in full. */
function timedGet(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    http
      .get(url, { agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url.split('?')[0]} answered ${res.statusCode}`));
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function latency(direct: string, proxied: string): Promise<ProxyResult['checkFileInfo']> {
  const agents = {
    direct: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    proxied: new http.Agent({ keepAlive: true, maxSockets: 1 }),
  };
  const urls = { direct, proxied };
  const ms: Record<'direct' | 'proxied', number[]> = { direct: [], proxied: [] };
  try {
    for (let i = 0; i < LATENCY.warmup; i++) {
      await timedGet(agents.direct, direct);
      await timedGet(agents.proxied, proxied);
    }
    for (let b = 0; b < LATENCY.blocks; b++)
      for (const k of b % 2 ? (['proxied', 'direct'] as const) : (['direct', 'proxied'] as const))
        for (let i = 0; i < LATENCY.perBlock; i++) ms[k].push(await timedGet(agents[k], urls[k]));
  } finally {
    agents.direct.destroy();
    agents.proxied.destroy();
  }
  const fig = (xs: number[]): LatencyFigures => ({
    p50ms: round(pct(xs, 50), 3),
    p95ms: round(pct(xs, 95), 3),
  });
  const d = fig(ms.direct);
  const p = fig(ms.proxied);
  return {
    requests: ms.direct.length,
    direct: d,
    proxied: p,
    addedP50ms: round(p.p50ms - d.p50ms, 3),
    addedP95ms: round(p.p95ms - d.p95ms, 3),
  };
}

/**
 * `files`: the WOPI file URL (with token) on the workbench and through the proxy; `bodies` the two
 * PutFile bodies alternated so every save replaces bytes. The file must be unlocked or locked with
 * LOCK_ID (the streaming part leaves it so).
 */
export async function measureProxy(
  info: { direct: string; proxied: string },
  file: { direct: string; proxied: string },
  bodies: readonly [string, string],
): Promise<ProxyResult> {
  const cfi = await latency(info.direct, info.proxied);
  const lock = await request(file.direct, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': LOCK_ID },
  });
  if (lock.status !== 200) throw new Error(`Lock answered ${lock.status}`);
  const size = THROUGHPUT_MB * MB;
  const mbps = (r: { ms: number }): number => size / MB / (r.ms / 1000);
  const contents = (u: string): string => u.replace(/(\/wopi\/files\/[^/?]+)/, '$1/contents');
  const gets = { direct: [] as number[], proxied: [] as number[] };
  const puts = { direct: [] as number[], proxied: [] as number[] };
  for (let i = 0; i < THROUGHPUT_RUNS; i++) {
    for (const k of i % 2 ? (['proxied', 'direct'] as const) : (['direct', 'proxied'] as const)) {
      const g = await request(contents(file[k]));
      if (g.status !== 200 || g.bytes !== size)
        throw new Error(`${k} GetFile answered ${g.status} with ${g.bytes} B`);
      gets[k].push(mbps(g));
      const p = await request(contents(file[k]), {
        method: 'POST',
        headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': LOCK_ID },
        bodyFile: bodies[(i + (k === 'proxied' ? 1 : 0)) % 2]!,
        bodySize: size,
      });
      if (p.status !== 200) throw new Error(`${k} PutFile answered ${p.status}`);
      puts[k].push(mbps(p));
    }
  }
  const row = (xs: { direct: number[]; proxied: number[] }) => {
    const d = median(xs.direct);
    const p = median(xs.proxied);
    return { directMBps: round(d), proxiedMBps: round(p), ratio: round(p / d, 3) };
  };
  return {
    checkFileInfo: cfi,
    fileMb: THROUGHPUT_MB,
    runs: THROUGHPUT_RUNS,
    getFile: row(gets),
    putFile: row(puts),
  };
}

export function printProxy(r: ProxyResult): void {
  const c = r.checkFileInfo;
  console.log(`\nInspecting proxy (serve --upstream) in front of the same workbench, same run:`);
  console.log(
    `  CheckFileInfo, one at a time (${c.requests} each): direct p50 ${c.direct.p50ms} ms p95 ${c.direct.p95ms} ms; ` +
      `proxied p50 ${c.proxied.p50ms} ms p95 ${c.proxied.p95ms} ms → added p50 ${c.addedP50ms} ms, p95 ${c.addedP95ms} ms` +
      ` (target: p50 < 1 ms) ${c.addedP50ms < 1 ? 'met' : 'NOT met'}`,
  );
  for (const k of ['getFile', 'putFile'] as const)
    console.log(
      `  ${k === 'getFile' ? 'GetFile' : 'PutFile'} ${r.fileMb} MB (median of ${r.runs}): direct ${r[k].directMBps} MB/s, ` +
        `proxied ${r[k].proxiedMBps} MB/s → ${r[k].ratio}× (target ≥ 0.8×) ${r[k].ratio >= 0.8 ? 'met' : 'NOT met'}`,
    );
}
