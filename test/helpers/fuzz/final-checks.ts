// End-of-run checks, once the traffic has stopped: the host is alive; every tracked file's bytes (on
// disk, through GetFile and as CheckFileInfo reports them) agree and pass the ledger's judgement; the
// index lists exactly the files on disk; no temp file is left; the host's own log and console report
// no server error.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileView, RequestPage, VersionView } from '../../../server/contracts';
import { TEMP_PREFIX } from '../../../server/storage/paths';
import { sendRequest } from '../wopi-client';
import type { Violation } from './checks';
import { servedName } from './checks';
import { walk } from './storm-common';
import type { Ledger } from './ledger';
import type { ServeTarget } from './target';
import type { World } from './world';
import { sha256 } from './world';

/** A listing mismatch that could still be the host catching up (not a name it refuses to serve). */
const settles = (x: Violation): boolean => x.kind === 'index' && !/own rules/.test(x.message);

/** How long the listing may take to match the disk before a mismatch counts as lasting. */
const SETTLE_MS = 5000;

/**
 * How long requests may still be finishing on the host once every client has its answer. A client can
 * have its answer while its request is still at work: bytes past a too-small Content-Length are a
 * second, malformed request, which node answers 400 at once, while the upload before them (whole as
 * declared) is still being committed, its temp file in place. Those end in milliseconds; a temp file
 * still there after this long is left behind (a stuck body is only cut after bodyIdleTimeoutMs, 60 s).
 */
const IN_FLIGHT_MS = 10_000;

const isTemp = (p: string): boolean => path.posix.basename(p).startsWith(TEMP_PREFIX);

/** Waits (bounded) for the requests still finishing on the host: their temp files go when they end. */
async function inFlightEnded(folder: string): Promise<void> {
  const t0 = Date.now();
  while ((await walk(folder)).some(isTemp) && Date.now() - t0 < IN_FLIGHT_MS)
    await new Promise((r) => setTimeout(r, 100));
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

async function fileChecks(
  target: ServeTarget,
  world: World,
  ledger: Ledger,
  listed: FileView[],
  wopiReads: boolean,
): Promise<Violation[]> {
  const v: Violation[] = [];
  const byId = new Map(listed.map((f) => [f.id, f]));
  for (const fileId of ledger.fileIds()) {
    const view = byId.get(fileId);
    const versionsRes = await target.control('GET', `/v1/files/${fileId}/versions`);
    const kept = new Set(
      versionsRes.status === 200 ? parse<VersionView[]>(versionsRes.text).map((x) => x.sha256) : [],
    );
    if (!view) {
      v.push(...ledger.judge({ fileId, sha: null, version: null, kept }));
      continue;
    }
    const disk = sha256(await readFile(path.join(target.folder, ...view.path.split('/'))));
    const ref = world.byId.get(fileId);
    if (ref && wopiReads) {
      const q = `access_token=${ref.token}`;
      const base = `${target.run.wopiUrl}/wopi/files/${fileId}`;
      const got = await sendRequest({ method: 'GET', url: `${base}/contents?${q}` });
      const info = await sendRequest({ method: 'GET', url: `${base}?${q}` });
      if (got.status !== 200 || sha256(got.body) !== disk)
        v.push({
          kind: 'content',
          message: `${view.path}: GetFile (${got.status}) does not return the bytes on disk`,
        });
      const reported = info.status === 200 ? (info.json()['SHA256'] as string | undefined) : undefined;
      if (reported !== Buffer.from(disk, 'hex').toString('base64'))
        v.push({
          kind: 'content',
          message: `${view.path}: CheckFileInfo SHA256 is not the hash of the bytes on disk`,
        });
    }
    v.push(...ledger.judge({ fileId, sha: disk, version: Number(view.version), kept }));
  }
  return v;
}

async function indexChecks(target: ServeTarget, listed: FileView[]): Promise<Violation[]> {
  const v: Violation[] = [];
  const onDisk = await walk(target.folder);
  const temps = onDisk.filter(isTemp);
  if (temps.length)
    v.push({ kind: 'temp-files', message: `temp files left once the traffic stopped: ${temps.join(', ')}` });
  const all = new Set(onDisk);
  const disk = new Set(onDisk.filter((p) => p.split('/').every(servedName)));
  const index = new Set(listed.map((f) => f.path));
  for (const p of disk)
    if (!index.has(p))
      v.push({ kind: 'index', message: `${JSON.stringify(p)} is on disk but not listed by the host` });
  for (const p of index) {
    if (!all.has(p))
      v.push({ kind: 'index', message: `${JSON.stringify(p)} is listed by the host but not on disk` });
    else if (!disk.has(p))
      v.push({
        kind: 'index',
        message: `${JSON.stringify(p)} is listed, though the host's own rules do not serve such a name (its watcher ignores it)`,
      });
  }
  const ids = listed.map((f) => f.id);
  if (new Set(ids).size !== ids.length) v.push({ kind: 'index', message: 'one file id is listed twice' });
  return v;
}

/**
 * Every 5xx the host logged that no client saw (its client hung up, or the answer never arrived), 501
 * aside: the ones a client saw are reported with their case already.
 */
async function logChecks(target: ServeTarget, seen: ReadonlySet<string>): Promise<Violation[]> {
  const v: Violation[] = [];
  let before: string | undefined;
  for (let page = 0; page < 200; page++) {
    const res = await target.control(
      'GET',
      `/v1/requests?status=5xx&limit=1000${before ? `&before=${before}` : ''}`,
    );
    if (res.status !== 200) {
      v.push({
        kind: 'log-5xx',
        message: `GET /v1/requests answered ${res.status}: ${res.text.slice(0, 200)}`,
      });
      break;
    }
    const body = parse<RequestPage>(res.text);
    for (const r of body.items) {
      // 501 is an answer, and a rejected proof must be a 500 (PITFALLS 5).
      if (r.status === 501 || r.proof?.rejected === true || seen.has(r.id)) continue;
      v.push({
        kind: 'log-5xx',
        status: r.status,
        requestId: r.id,
        message: `logged ${r.status} ${r.operation} ${r.filePath ?? r.fileId ?? r.path}: ${r.why ?? ''}`,
      });
    }
    if (!body.nextCursor) break;
    before = body.nextCursor;
  }
  return v;
}

/** What a terminal acts on: C0 (tab aside; lines are split on newlines), DEL, C1, bidi and line separators. */
const TERMINAL_CONTROL =
  // eslint-disable-next-line no-control-regex -- a console line must not carry terminal control bytes
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/**
 * Internal errors the engine reported on its console (those already seen as a 5xx aside), and console
 * lines a terminal would misread.
 */
export function consoleChecks(target: ServeTarget, seen: Violation[] = []): Violation[] {
  const v: Violation[] = [];
  const asciiOf = (t: string): string => t.replace(/[^\x20-\x7e]/g, '?');
  const known = seen.filter((x) => x.kind === '5xx' || x.kind === 'log-5xx').map((x) => asciiOf(x.message));
  const explained = (line: string): boolean => {
    const m = /"message":"((?:[^"\\]|\\.)*)"|^Warning: (.*)$/.exec(line);
    const text = m ? (m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[2]!) : '';
    // The X-WOPI-ServerError header turns non-ASCII into '?': compare on the ASCII part.
    const ascii = asciiOf(text);
    return text !== '' && known.some((k) => k.includes(ascii.slice(0, 60)));
  };
  for (const run of target.runs) {
    const out = run.stdout();
    for (const line of out.split('\n')) {
      if ((target.json ? /"event":"warning"/.test(line) : line.startsWith('Warning:')) && !explained(line))
        v.push({ kind: 'warning', message: `the engine warned: ${line.slice(0, 300)}` });
      if (target.json && line.trim() && !isJson(line))
        v.push({
          kind: 'stdout',
          message: `--json printed a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}`,
        });
      // Both modes: JSON escaping covers C0 only, and a terminal shows --json lines too.
      if (TERMINAL_CONTROL.test(line))
        v.push({
          kind: 'stdout',
          message: `the console printed control characters: ${JSON.stringify(line.slice(0, 200))}`,
        });
    }
  }
  return v;
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

export async function finalChecks(
  target: ServeTarget,
  world: World,
  ledger: Ledger,
  seen: Violation[] = [],
  /** Read files back through WOPI too (not possible unsigned when proofs are enforced). */
  wopiReads = true,
): Promise<Violation[]> {
  if (!target.run.alive())
    return [
      { kind: 'server-died', message: `serve exited during the run\n${target.run.stderr().slice(-2000)}` },
    ];
  // A correct host lists exactly what is on disk as soon as the traffic stops. If it only gets there a
  // little later (a watcher catching up), that is reported once and the settled listing is judged.
  await inFlightEnded(target.folder);
  const t0 = Date.now();
  let listed: FileView[];
  let mismatch: Violation[];
  let first: Violation[] | undefined;
  for (;;) {
    const res = await target.control('GET', '/v1/files');
    if (res.status !== 200) return [{ kind: 'index', message: `GET /v1/files answered ${res.status}` }];
    listed = parse<FileView[]>(res.text);
    mismatch = await indexChecks(target, listed);
    first ??= mismatch;
    // A name the host should not serve stays listed however long one waits: only mismatches can settle.
    if (!mismatch.some(settles) || Date.now() - t0 > SETTLE_MS) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const late: Violation[] =
    first.some(settles) && !mismatch.some(settles)
      ? [
          {
            kind: 'index',
            message: `the listing matched the disk only ${Date.now() - t0} ms after the traffic stopped: ${first
              .filter(settles)
              .map((x) => x.message)
              .join('; ')}`,
          },
        ]
      : [];
  const logged = await logChecks(target, new Set(seen.flatMap((v) => (v.requestId ? [v.requestId] : []))));
  return [
    ...(await fileChecks(target, world, ledger, listed, wopiReads)),
    ...mismatch,
    ...late,
    ...logged,
    ...consoleChecks(target, [...seen, ...logged]),
  ];
}
