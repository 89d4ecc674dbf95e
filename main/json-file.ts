// Small JSON settings files in userData (window state, recent folders). Reads return an explicit
// result instead of null, and a corrupt file is moved aside (never overwritten) so it can be inspected.
import fs from 'node:fs';
import path from 'node:path';

export type JsonReadResult<T> =
  { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'corrupt'; reason: string; keptAt: string | null };

/** A validator returns the typed value or a reason why the data is unusable. */
export type JsonValidator<T> = (data: unknown) => { ok: true; value: T } | { ok: false; reason: string };

function keepAside(file: string, now: number): string | null {
  const target = `${file}.corrupt-${now}`;
  try {
    fs.renameSync(file, target);
    return target;
  } catch {
    return null;
  }
}

export function readJsonFile<T>(
  file: string,
  validate: JsonValidator<T>,
  now: () => number = Date.now,
): JsonReadResult<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: `cannot read: ${(e as Error).message}`, keptAt: null };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { kind: 'corrupt', reason: `not JSON: ${(e as Error).message}`, keptAt: keepAside(file, now()) };
  }
  const checked = validate(data);
  if (!checked.ok) return { kind: 'corrupt', reason: checked.reason, keptAt: keepAside(file, now()) };
  return { kind: 'ok', value: checked.value };
}

/** Temp file + fsync + rename: a crash leaves the old or the new file, never half of one. */
export function writeJsonFileAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, `${JSON.stringify(value, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
