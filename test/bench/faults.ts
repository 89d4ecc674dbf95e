// (e) What fault rules cost a request they do not touch, and one they do: CheckFileInfo under the same
// load on the same workbench with no rules, with 50 rules scoped to another file (each request is
// checked against all 50 and none fires), and with one rule that fires on every request (a file-info
// override: the count is written to SQLite per request). Rounds interleave the three states, medians kept.
import { cannon, medianRun, type CfiRun } from './load';
import { round } from './common';

export interface FaultsResult {
  rounds: number;
  noRules: CfiRun;
  fiftyOtherFile: CfiRun;
  oneFiring: CfiRun;
  ratios: { fiftyOverNone: number; firingOverNone: number; p99FiftyOverNone: number };
}

type Rule = { match?: { fileId?: string; operations?: string[] }; effect: unknown; name?: string };

export async function measureFaults(
  infoUrl: string,
  pid: number,
  control: { url: string; token: string },
  rounds: number,
): Promise<FaultsResult> {
  const call = async (method: string, route: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${control.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
  };
  const load = async (rules: Rule[]): Promise<void> => {
    await call('DELETE', '/v1/faults');
    if (rules.length)
      await call('POST', '/v1/faults/import', { format: 'wopi-workbench-faults', version: 1, rules });
  };
  const other: Rule[] = Array.from({ length: 50 }, (_, i) => ({
    name: `other-${i}`,
    match: { fileId: `not-this-file-${i}`, operations: ['CheckFileInfo', 'GetFile', 'PutFile'] },
    effect: { kind: 'status', status: 503, retryAfterSeconds: 5 },
  }));
  const firing: Rule[] = [{ name: 'firing', effect: { kind: 'file-info', set: { UserCanRename: false } } }];
  const runs = { noRules: [] as CfiRun[], fiftyOtherFile: [] as CfiRun[], oneFiring: [] as CfiRun[] };
  for (let i = 0; i < rounds; i++) {
    for (const [key, rules] of [
      ['noRules', []],
      ['fiftyOtherFile', other],
      ['oneFiring', firing],
    ] as const) {
      await load([...rules]);
      runs[key].push(await cannon(infoUrl, [pid]));
    }
  }
  await load([]);
  const noRules = medianRun(runs.noRules);
  const fiftyOtherFile = medianRun(runs.fiftyOtherFile);
  const oneFiring = medianRun(runs.oneFiring);
  return {
    rounds,
    noRules,
    fiftyOtherFile,
    oneFiring,
    ratios: {
      fiftyOverNone: round(fiftyOtherFile.reqPerSec / noRules.reqPerSec, 3),
      firingOverNone: round(oneFiring.reqPerSec / noRules.reqPerSec, 3),
      p99FiftyOverNone: round(fiftyOtherFile.p99ms / noRules.p99ms, 3),
    },
  };
}

export function printFaults(r: FaultsResult): void {
  const row = (label: string, x: CfiRun): string =>
    `  ${label.padEnd(34)} ${String(x.reqPerSec).padStart(8)} req/s  p50 ${x.p50ms} ms  p99 ${x.p99ms} ms  ` +
    `${x.cpuUsPerReq ?? '?'} µs CPU/req  non-2xx ${x.non2xx}`;
  console.log('\n(e) fault rules, CheckFileInfo on one workbench (medians):');
  console.log(row('no rules', r.noRules));
  console.log(row('50 rules scoped to other files', r.fiftyOtherFile));
  console.log(row('1 rule firing on every request', r.oneFiring));
  console.log(
    `  ratios: 50 other-file rules / none ${r.ratios.fiftyOverNone}× req/s (p99 ${r.ratios.p99FiftyOverNone}×), ` +
      `firing / none ${r.ratios.firingOverNone}×`,
  );
}
