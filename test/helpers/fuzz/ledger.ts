// The bytes the fuzzer tried to store and what became of each attempt, and the end-of-run judgement
// on every tracked file: its content is one a write could have left last (never torn, never a refused
// upload), and every byte it ever held is still there — on disk or as a kept version.
import type { FuzzCase } from './generator';
import type { Violation } from './checks';

export type WriteState = 'ok' | 'failed' | 'unknown' | 'aborted';

export interface WriteRecord {
  fileId: string;
  sha: string;
  size: number;
  state: WriteState;
  start: number;
  end: number;
  itemVersion?: number;
  c?: FuzzCase;
}

export interface DeleteRecord {
  fileId: string;
  state: 'ok' | 'failed' | 'unknown';
}

export interface FinalFile {
  fileId: string;
  /** SHA-256 of the bytes on disk; null when the file is gone. */
  sha: string | null;
  version: number | null;
  /** SHA-256 of every version the host kept for the file. */
  kept: Set<string>;
}

export function createLedger() {
  const writes: WriteRecord[] = [];
  const deletes: DeleteRecord[] = [];
  const initial = new Map<string, { sha: string; version: number }>();
  /** Bodies a PutRelativeFile may have stored under a name the fuzzer cannot tell (its answer was lost). */
  const stray = new Set<string>();

  /** Which bytes may be on disk at the end: a successful write nothing later superseded, or one in doubt. */
  function candidates(fileId: string): { shas: Set<string>; why: string } {
    const mine = writes.filter((w) => w.fileId === fileId);
    const ok = mine.filter((w) => w.state === 'ok');
    const shas = new Set<string>();
    for (const w of ok) {
      // W may be last unless another successful write began after W had finished.
      if (!ok.some((o) => o !== w && o.start > w.end)) shas.add(w.sha);
    }
    for (const w of mine) if (w.state === 'unknown') shas.add(w.sha);
    // A new file at a deleted file's path gets that file's id back; an overwrite keeps the target's.
    for (const sha of stray) shas.add(sha);
    const start = initial.get(fileId);
    if (start && ok.length === 0) shas.add(start.sha);
    const why = `${ok.length} successful writes, ${mine.filter((w) => w.state === 'unknown').length} in doubt, ${stray.size} PutRelativeFile bodies in doubt`;
    return { shas, why };
  }

  return {
    writes,
    deletes,
    setInitial(fileId: string, sha: string, version: number): void {
      initial.set(fileId, { sha, version });
    },
    write(w: WriteRecord): void {
      writes.push(w);
    },
    /** A PutRelativeFile that may have created or overwritten some file, without the fuzzer learning which. */
    strayWrite(sha: string): void {
      stray.add(sha);
    },
    deleted(d: DeleteRecord): void {
      deletes.push(d);
    },
    /** Files with anything to check: the initial ones and every file a write reached. */
    fileIds(): string[] {
      return [
        ...new Set([...initial.keys(), ...writes.filter((w) => w.state === 'ok').map((w) => w.fileId)]),
      ];
    },
    judge(f: FinalFile): Violation[] {
      const out: Violation[] = [];
      const mine = writes.filter((w) => w.fileId === f.fileId);
      const ok = mine.filter((w) => w.state === 'ok');
      const start = initial.get(f.fileId);
      if (f.sha === null) {
        const del = deletes.some((d) => d.fileId === f.fileId && d.state !== 'failed');
        if (!del)
          out.push({
            kind: 'content',
            message: `file ${f.fileId} is gone, yet no DeleteFile on it succeeded`,
          });
      } else {
        const { shas, why } = candidates(f.fileId);
        if (!shas.has(f.sha)) {
          const refused = mine.find((w) => w.sha === f.sha && w.state !== 'ok');
          out.push({
            kind: 'content',
            message:
              `file ${f.fileId} holds bytes (sha ${f.sha.slice(0, 12)}) that no write could have left last (${why})` +
              (refused
                ? `: they are the body of a ${refused.state} upload (case #${refused.c?.n ?? '?'})`
                : ''),
            ...(refused?.c ? { case: refused.c } : {}),
          });
        }
      }
      // Never a byte lost: every content the file held is on disk or kept as a version.
      const held = [...(start ? [{ sha: start.sha, what: 'its initial bytes' }] : [])];
      for (const w of ok) held.push({ sha: w.sha, what: `the bytes of case #${w.c?.n ?? '?'}` });
      for (const h of held) {
        if (h.sha !== f.sha && !f.kept.has(h.sha))
          out.push({
            kind: 'lost-bytes',
            message: `file ${f.fileId}: ${h.what} are neither on disk nor a kept version`,
          });
      }
      // Each save is its own version: two successful saves never report the same ItemVersion.
      const seen = new Map<number, WriteRecord>();
      for (const w of ok) {
        if (w.itemVersion === undefined) continue;
        const twin = seen.get(w.itemVersion);
        if (twin)
          out.push({
            kind: 'version',
            message: `file ${f.fileId}: cases #${twin.c?.n ?? '?'} and #${w.c?.n ?? '?'} both saved as version ${w.itemVersion}`,
          });
        seen.set(w.itemVersion, w);
      }
      const puts = ok.filter((w) => w.c?.op === 'PutFile').length;
      if (start && f.version !== null && f.version < start.version + puts)
        out.push({
          kind: 'version',
          message: `file ${f.fileId}: Version went from ${start.version} to ${f.version} over ${puts} successful PutFiles`,
        });
      return out;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
