// The fuzz driver: several clients in parallel, each replaying its own seeded stream of cases against
// a live host, while a control-API reader polls and (optionally) a "staller" holds a PutFile body
// open on a busy file for longer than the answer bound. Every outcome is checked as it arrives; the
// ledger and the end-of-run checks judge what is left on disk.
import { checkOutcome, describeCase } from './checks';
import type { Violation } from './checks';
import { nextCase } from './generator';
import type { FuzzCase, GenOptions } from './generator';
import { taggedBody } from './inputs';
import type { Ledger, WriteState } from './ledger';
import { rawRequest } from './raw-http';
import type { RawOutcome } from './raw-http';
import type { Rng } from './rng';
import type { ServeTarget } from './target';
import type { FileRef, World } from './world';
import { addScratch, sha256 } from './world';

export interface FuzzOptions extends GenOptions {
  requests: number;
  clients: number;
  /** PutFiles that stall longer than answerWithinMs on a content file others are using. */
  longStalls: number;
  longStallMs: number;
  log?: (line: string) => void;
}

export interface StallRecord {
  fileId: string;
  from: number;
  to: number;
}

export interface FuzzReport {
  seed: number;
  cases: FuzzCase[];
  outcomes: Record<string, number>;
  statuses: Record<string, number>;
  violations: Violation[];
  stalls: StallRecord[];
  /** When each case was sent and settled, by case number. */
  timing: Map<number, { start: number; end: number; outcome: RawOutcome }>;
  durationMs: number;
}

function writeState(c: FuzzCase, o: RawOutcome, applies: boolean): WriteState {
  // Bytes past a too-small Content-Length read as a second, malformed request: the parser's 400 for
  // it may be all the client gets, while the upload it followed (whole, as declared) still saves.
  if (o.kind === 'answered' && o.res.status === 400 && c.features.includes('Content-Length too small'))
    return 'unknown';
  if (o.kind === 'answered') return o.res.status === 200 ? 'ok' : 'failed';
  if (o.kind === 'hung-up' || !applies) return 'aborted';
  if (o.kind === 'closed' && !o.sentAllBody) return 'aborted';
  return 'unknown';
}

/** What a finished case changes in the fuzzer's picture of the host. */
function learn(world: World, ledger: Ledger, c: FuzzCase, o: RawOutcome, start: number, end: number): void {
  const status = o.kind === 'answered' ? o.res.status : 0;
  const json = (): Record<string, unknown> | null => {
    if (o.kind !== 'answered') return null;
    try {
      return JSON.parse(o.res.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  };
  if (c.op === 'PutFile' && c.file && c.upload) {
    const itemVersion = o.kind === 'answered' ? Number(o.res.header('x-wopi-itemversion') ?? NaN) : NaN;
    ledger.write({
      fileId: c.file.id,
      sha: c.upload.sha,
      size: c.upload.size,
      state: writeState(c, o, c.upload.applies),
      start,
      end,
      ...(Number.isFinite(itemVersion) ? { itemVersion } : {}),
      c,
    });
  }
  if (c.op === 'PutRelativeFile' && status !== 200 && c.upload?.applies)
    if (writeState(c, o, true) === 'unknown') ledger.strayWrite(c.upload.sha);
  if (c.op === 'PutRelativeFile' && status === 200 && c.upload) {
    const body = json();
    const url = typeof body?.['Url'] === 'string' ? new URL(body['Url']) : null;
    const id = url?.pathname.split('/').pop();
    const token = url?.searchParams.get('access_token');
    if (id && token) {
      const ref = addScratch(world, id, token, `created by case #${c.n}`);
      if (typeof body?.['Name'] === 'string') ref.name = body['Name'];
      ledger.write({ fileId: id, sha: c.upload.sha, size: c.upload.size, state: 'ok', start, end, c });
    }
  }
  if (c.op === 'CheckFileInfo' && status === 200) {
    // Host page URLs carry launch links: bearer credentials for the host page, so secrets too.
    for (const key of ['HostViewUrl', 'HostEditUrl']) {
      const u = json()?.[key];
      const l = typeof u === 'string' ? new URL(u).searchParams.get('l') : null;
      if (l) world.secrets.set(l, `launch link (${key} of a CheckFileInfo)`);
    }
  }
  if (c.op === 'RenameFile' && status === 200 && c.file) {
    const name = json()?.['Name'];
    const ext = /\.[^.]*$/.exec(c.file.name ?? c.file.label)?.[0] ?? '';
    if (typeof name === 'string') c.file.name = `${name}${ext}`;
  }
  if (c.op === 'DeleteFile' && c.file) {
    const state =
      status === 200 ? 'ok' : o.kind === 'answered' || o.kind === 'hung-up' ? 'failed' : 'unknown';
    if (state === 'ok') c.file.deleted = true;
    ledger.deleted({ fileId: c.file.id, state });
  }
}

const CONTROL_READS = [
  '/v1/status',
  '/v1/files',
  '/v1/locks',
  '/v1/requests?limit=50',
  '/v1/requests?status=4xx&limit=20',
  '/v1/requests?q=LOCK&limit=20',
  '/v1/settings',
  '/v1/hostpage/messages',
];

export async function runFuzz(
  target: ServeTarget,
  world: World,
  ledger: Ledger,
  o: FuzzOptions,
): Promise<FuzzReport> {
  const t0 = Date.now();
  const report: FuzzReport = {
    seed: world.rng.seed,
    cases: [],
    outcomes: {},
    statuses: {},
    violations: [],
    stalls: [],
    timing: new Map(),
    durationMs: 0,
  };
  let n = 0;
  let done = 0;
  let finished = false;
  // Each client sends its own fixed share, so its seeded stream is the same on every replay.
  const share = (k: number): number =>
    Math.floor(o.requests / o.clients) + (k < o.requests % o.clients ? 1 : 0);

  const runCase = async (c: FuzzCase): Promise<void> => {
    report.cases.push(c);
    const start = Date.now();
    const outcome = await rawRequest(target.run.wopiUrl, c.spec);
    const end = Date.now();
    report.timing.set(c.n, { start, end, outcome });
    if (c.client === -1 && c.file) report.stalls.push({ fileId: c.file.id, from: start, to: end });
    const key = outcome.kind === 'answered' ? String(outcome.res.status) : outcome.kind;
    report.statuses[key] = (report.statuses[key] ?? 0) + 1;
    report.outcomes[outcome.kind] = (report.outcomes[outcome.kind] ?? 0) + 1;
    report.violations.push(...checkOutcome(c, outcome, world));
    learn(world, ledger, c, outcome, start, end);
    done++;
    if (o.log && done % 500 === 0)
      o.log(`  ${done}/${o.requests} requests, ${report.violations.length} violations`);
  };

  const client = async (k: number, rng: Rng): Promise<void> => {
    for (let i = 0; i < share(k); i++) {
      if (!target.run.alive()) return;
      await runCase(nextCase(rng, world, k, n++, o));
    }
  };

  const staller = async (rng: Rng): Promise<void> => {
    for (let s = 0; s < o.longStalls; s++) {
      // Spread the stalls through the run.
      const at = Math.floor(((s + 1) * o.requests) / (o.longStalls + 1));
      while (done < at && !finished) await new Promise((r) => setTimeout(r, 50));
      if (finished || !target.run.alive()) return;
      const file = rng.pick(world.content);
      await runCase(await stallCase(target, world, rng, file, n++, o));
    }
  };

  const reader = async (rng: Rng): Promise<void> => {
    while (!finished && target.run.alive()) {
      const route = rng.pick(CONTROL_READS);
      const res = await target.control('GET', route).catch((e: unknown) => ({ status: 0, text: String(e) }));
      if (res.status !== 200)
        report.violations.push({
          kind: res.status >= 500 ? '5xx' : 'status',
          status: res.status,
          message: `control GET ${route} answered ${res.status}: ${res.text.slice(0, 200)}`,
        });
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const clients = Array.from({ length: o.clients }, (_, k) => client(k, world.rng.fork(`client-${k}`)));
  const side = [staller(world.rng.fork('staller')), reader(world.rng.fork('reader'))];
  await Promise.all(clients);
  finished = true;
  await Promise.all(side);
  if (!target.run.alive())
    report.violations.push({
      kind: 'server-died',
      message: `serve exited during the fuzz\n${target.run.stderr().slice(-2000)}`,
    });
  report.durationMs = Date.now() - t0;
  return report;
}

/** A PutFile that sends half its body, goes silent for longStallMs, then finishes: it holds a lock it set itself. */
async function stallCase(
  target: ServeTarget,
  world: World,
  rng: Rng,
  file: FileRef,
  n: number,
  o: FuzzOptions,
): Promise<FuzzCase> {
  const lockId = world.lockIds[0]!;
  world.sentLockIds.add(lockId);
  // The lock lab sets the lock so the upload passes the early lock check and really starts.
  await target.control('PUT', `/v1/locks/${file.id}`, { lockId });
  const body = taggedBody(rng, `long stall ${file.label} #${n} seed ${world.rng.seed}`, 64 * 1024);
  return {
    n,
    client: -1,
    op: 'PutFile',
    features: [`body stalls for ${o.longStallMs} ms halfway`],
    file,
    spec: {
      method: 'POST',
      target: `/wopi/files/${file.id}/contents?access_token=${file.token}`,
      headers: [
        ['X-WOPI-Override', 'PUT'],
        ['X-WOPI-Lock', lockId],
      ],
      body,
      delivery: { kind: 'stall', after: body.length / 2, ms: o.longStallMs },
      answerWithinMs: o.answerWithinMs,
    },
    allowed: [200, 409],
    basis: 'PutFile',
    upload: { sha: sha256(body), size: body.length, applies: true },
  };
}

/** Violations as a readable block, grouped by kind, each with its case and reproduction. */
export function formatViolations(vs: Violation[], seed: number, limitPerKind = 5): string {
  if (vs.length === 0) return `no violations (seed ${seed})`;
  const byKind = new Map<string, Violation[]>();
  for (const v of vs) byKind.set(v.kind, [...(byKind.get(v.kind) ?? []), v]);
  const parts = [`${vs.length} violations (replay with seed ${seed}):`];
  for (const [kind, list] of byKind) {
    parts.push(`- ${kind}: ${list.length}`);
    for (const v of list.slice(0, limitPerKind)) {
      parts.push(`  * ${v.message}${v.case ? `\n    ${describeCase(v.case)}` : ''}`);
    }
    if (list.length > limitPerKind) parts.push(`  … and ${list.length - limitPerKind} more`);
  }
  return parts.join('\n');
}
