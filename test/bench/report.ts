// The bench's report: the table on the console (the JSON is the same figures, written by run.ts).
import { TARGETS, type Ratios } from './common';
import type { CfiResult } from './load';
import { RSS_SIZES_MB, type RssResult } from './memory';
import type { ThroughputResult } from './streaming';

/** The table of figures and ratios; `peerPids` are named on the peer's CPU line. */
export function printTable(cfi: CfiResult, tp: ThroughputResult, rss: RssResult, peerPids: number[]): void {
  const { peakRatio, flat } = rss;
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
          : `\n  CPU ${p.cpuUsPerReq} µs/req (pids ${peerPids.join(', ')}); peer CPU / workbench CPU = ${p.peerCpuOverWorkbenchCpu}`),
    );
  }
  console.log('\nWorkbench peak RSS (MB), fresh process per size:');
  console.log('  size MB   idle   GetFile peak   PutFile peak   growth');
  for (const row of rss.runs) {
    console.log(
      `  ${String(row.sizeMb).padStart(7)}  ${String(row.idleMb).padStart(5)}  ${String(row.getPeakMb).padStart(13)}  ${String(row.putPeakMb).padStart(13)}  ${String(row.growthMb).padStart(7)}   (${row.peakFrom})`,
    );
  }
  console.log(
    `  peak ratio ${RSS_SIZES_MB[1]} MB / ${RSS_SIZES_MB[0]} MB: ${peakRatio} → ${flat ? 'flat (does not grow with size)' : 'GROWS with file size'}`,
  );
}
