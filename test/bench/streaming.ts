// (b) GetFile / PutFile of one file, the three servers interleaved, median MB/s of several runs.
import { LOCK_ID, MB, median, ratios, round, TARGETS, type Ratios, type Target } from './common';
import { request } from './http';

export const THROUGHPUT_MB = 100;
export const THROUGHPUT_RUNS = 5;

export interface ThroughputRow {
  workbenchMBps: number;
  bareNodeMBps: number;
  bareExpressMBps: number;
  ratios: Ratios;
}

export interface ThroughputResult {
  fileMb: number;
  runs: number;
  getFile: ThroughputRow;
  putFile: ThroughputRow;
}

function throughputOf(xs: Record<Target, number[]>): ThroughputRow {
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
}

/**
 * `contents`: each server's GetFile/PutFile URL; the workbench's file (`workbenchFile`, its WOPI URL
 * with the token) is locked first. PutFile bodies alternate between the two `bodies` files.
 */
export async function measureThroughput(
  contents: Record<Target, string>,
  workbenchFile: string,
  bodies: readonly [string, string],
): Promise<ThroughputResult> {
  const lock = await request(workbenchFile, {
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
    const body = i % 2 ? bodies[0] : bodies[1];
    for (const t of TARGETS) {
      const g = await request(contents[t]);
      if (g.status !== 200 || g.bytes !== size)
        throw new Error(`${t} GetFile answered ${g.status} with ${g.bytes} bytes`);
      gets[t].push(mbps(g));
      const p = await request(contents[t], {
        method: 'POST',
        headers: putHeaders[t],
        bodyFile: body,
        bodySize: size,
      });
      if (p.status !== 200) throw new Error(`${t} PutFile answered ${p.status}`);
      puts[t].push(mbps(p));
    }
  }
  return {
    fileMb: THROUGHPUT_MB,
    runs: THROUGHPUT_RUNS,
    getFile: throughputOf(gets),
    putFile: throughputOf(puts),
  };
}
