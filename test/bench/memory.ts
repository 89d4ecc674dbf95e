// (c) Peak RSS of a fresh workbench process per file size, for one download and one upload: it must
// not grow with the size of the file streamed.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LOCK_ID, MB, round } from './common';
import { request, writeSized } from './http';
import { startEngine, stopChild, tokenFor } from './processes';

export const RSS_SIZES_MB = [100, 1024];

export interface RssRow {
  sizeMb: number;
  idleMb: number;
  getPeakMb: number;
  putPeakMb: number;
  /** Worst peak above the idle RSS of the same process. */
  growthMb: number;
  peakFrom: string;
}

export interface RssResult {
  runs: RssRow[];
  peakRatio: number;
  flat: boolean;
}

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

/** Each size in its own folder and data dir under `root`, removed again after. */
export async function measureRss(root: string): Promise<RssResult> {
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
      peakFrom: get.hwmReset && put.hwmReset ? 'VmHWM after reset + sampled VmRSS' : 'sampled VmRSS (20 ms)',
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
  return { runs: rss, peakRatio, flat };
}
