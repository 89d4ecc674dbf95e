// (a) CheckFileInfo under load: autocannon against each server in turn, the server's CPU time read
// from /proc around the measured part.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { median, ratios, round, TARGETS, type Ratios, type Target } from './common';

export const CANNON = { connections: 50, duration: 10, warmup: 2 };
/** USER_HZ: /proc times are in these ticks; 100 on every Linux build this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

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

export interface CfiRun {
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  /** Server CPU (user + system, all threads) per measured request; null when no pid was given. */
  cpuUsPerReq: number | null;
  errors: number;
  non2xx: number;
}

export type CfiResult = {
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

export async function cannon(url: string, pids: number[]): Promise<CfiRun> {
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
}

const medianOrNull = (xs: (number | null)[]): number | null =>
  xs.every((x) => x !== null) ? median(xs as number[]) : null;

export function medianRun(xs: CfiRun[]): CfiRun {
  return {
    reqPerSec: round(median(xs.map((x) => x.reqPerSec))),
    p50ms: median(xs.map((x) => x.p50ms)),
    p99ms: median(xs.map((x) => x.p99ms)),
    cpuUsPerReq: medianOrNull(xs.map((x) => x.cpuUsPerReq)),
    errors: xs.reduce((n, x) => n + x.errors, 0),
    non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
  };
}

export interface LoadPlan {
  jsonBytes: number;
  rounds: number;
  /** Each server's CheckFileInfo URL and its process (whose CPU time is its cost). */
  urls: Record<Target, string>;
  pids: Record<Target, number>;
  peer?: { name: string; url: string; pids: number[] } | undefined;
}

export async function measureCheckFileInfo(plan: LoadPlan): Promise<CfiResult> {
  // With --rounds N the servers take turns N times and each figure is the median of its N runs: on a
  // shared machine a load spike then hits every server instead of whichever one happened to be running.
  const loads: [string, string, number[]][] = TARGETS.map((t) => [t, plan.urls[t], [plan.pids[t]]]);
  if (plan.peer) loads.push(['peer', plan.peer.url, plan.peer.pids]);
  const perRound = new Map<string, CfiRun[]>(loads.map(([name]) => [name, []]));
  for (let i = 0; i < plan.rounds; i++)
    for (const [name, url, pids] of loads) perRound.get(name)!.push(await cannon(url, pids));
  const cfiRuns = {} as Record<Target, CfiRun>;
  for (const t of TARGETS) cfiRuns[t] = medianRun(perRound.get(t)!);
  const cfi: CfiResult = {
    jsonBytes: plan.jsonBytes,
    rounds: plan.rounds,
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
  if (plan.peer) {
    // An outside host (e.g. node-wopi-server) already running: same client, same settings, same run.
    const peer = medianRun(perRound.get('peer')!);
    cfi.peer = {
      name: plan.peer.name,
      url: plan.peer.url,
      ...peer,
      workbenchOverPeer: round(cfiRuns.workbench.reqPerSec / peer.reqPerSec, 3),
      peerCpuOverWorkbenchCpu:
        peer.cpuUsPerReq === null ? null : round(peer.cpuUsPerReq / cfiRuns.workbench.cpuUsPerReq!, 3),
    };
  }
  if (plan.rounds > 1) cfi.eachRound = Object.fromEntries(perRound);
  return cfi;
}
