// Runs the conformance groups against one WOPI file: reads its CheckFileInfo first (a case of its
// own, so its exchange is on record), refuses to write to a file that is not a .wopitest unless told
// to, skips the groups the host says it does not support (naming the property), then runs every
// case one after another, each tagged with the run and the case, its cleanup run after it whatever
// happened. The result is a CheckRunView, published after every case.
import type { CheckCaseResult, CheckGroupResult, CheckRunView, RequestRecord } from '../contracts/api';
import { ALL_GROUPS } from './cases/index';
import type { ProofSigner, WopiTarget } from './client';
import { elapsedSince, errorReason, runStep, startRunSession } from './engine';
import { capabilityMismatch } from './expect';
import type { CaseContext, CheckCase, CheckGroup } from './types';

/** The suffix a file must have to be written to without --allow-writes (case-insensitive). */
const WRITABLE_SUFFIX = '.wopitest';

/** The run's own first step: its CheckFileInfo, before any group. */
export const PREREQUISITES = { group: 'Run', name: 'Prerequisites' } as const;

/** Why a run cannot start (an unknown group id): the caller's mistake, not the host's. */
export class CheckInputError extends Error {
  readonly code = 'bad-request';
  constructor(message: string) {
    super(message);
    this.name = 'CheckInputError';
  }
}

export interface RunCheckOptions {
  target: WopiTarget;
  /** Group ids to run; absent or empty = every group of the table. */
  groups?: readonly string[];
  /** Signs every request (and lets the proof-key groups run). */
  signer?: ProofSigner;
  /** The target is this workbench's own host: its router records and tags the exchanges. */
  ownHost: boolean;
  /**
   * Receives the client-side record of each exchange the host does not record: all of another
   * host's; of our own host's, those its WOPI router never saw (a path outside /wopi/, no answer).
   */
  record?: (rec: RequestRecord) => void;
  /** Write to a file whose name does not end in .wopitest. */
  allowWrites?: boolean;
  /** Called with a snapshot of the run after the prerequisites and after every case. */
  onUpdate?: (run: CheckRunView) => void;
  runId?: string;
  /** Epoch ms for startedAt/finishedAt. */
  now?: () => number;
  /** The groups to choose from (default ALL_GROUPS). */
  groupsTable?: readonly CheckGroup[];
  /** Per-request timeout (default the client's). */
  timeoutMs?: number;
}

/** The groups `ids` names, in table order; CheckInputError naming the known ids for an unknown one. */
export function selectGroups(
  ids: readonly string[] | undefined,
  table: readonly CheckGroup[] = ALL_GROUPS,
): CheckGroup[] {
  if (ids === undefined || ids.length === 0) return [...table];
  const known = new Map(table.map((g) => [g.id.toLowerCase(), g]));
  const unknown = ids.filter((id) => !known.has(id.trim().toLowerCase()));
  if (unknown.length > 0) {
    const list = table.map((g) => g.id).join(', ') || '(none yet)';
    throw new CheckInputError(
      `unknown conformance group${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the groups are: ${list}`,
    );
  }
  const wanted = new Set(ids.map((id) => id.trim().toLowerCase()));
  return table.filter((g) => wanted.has(g.id.toLowerCase()));
}

/** Every case id (`Group.Case`) of the table, in run order. */
export function caseIds(table: readonly CheckGroup[] = ALL_GROUPS): string[] {
  return table.flatMap((g) => g.cases.map((c) => `${g.id}.${c.name}`));
}

function caseResult(group: CheckGroup, c: CheckCase): CheckCaseResult {
  return {
    id: `${group.id}.${c.name}`,
    group: group.id,
    name: c.name,
    title: c.title,
    origin: c.origin,
    // The UI shows a workbench case's rule and its source beside the verdict.
    ...(c.rationale !== undefined ? { rationale: c.rationale } : {}),
    status: 'pass',
    durationMs: 0,
    exchanges: [],
  };
}

/** Why the group cannot run against this host (the property, or the missing signer), if it cannot. */
function skipReason(
  group: CheckGroup,
  info: Readonly<Record<string, unknown>>,
  signed: boolean,
): string | undefined {
  if (group.needsSigner === true && !signed)
    return "needs --sign: it sends proof-key signatures (the simulated client's keys)";
  return capabilityMismatch(info, group.requires);
}

export async function runCheck(opts: RunCheckOptions): Promise<CheckRunView> {
  const selected = selectGroups(opts.groups, opts.groupsTable ?? ALL_GROUPS);
  const firstCaseId = `${PREREQUISITES.group}.${PREREQUISITES.name}`;
  const session = startRunSession({
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    view: { wopiSrc: opts.target.wopiSrc, ownHost: opts.ownHost, signed: opts.signer !== undefined },
    firstCaseId,
    ...(opts.record ? { record: opts.record } : {}),
    ...(opts.signer ? { signer: opts.signer } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.onUpdate ? { onUpdate: opts.onUpdate } : {}),
  });
  const { run, client } = session;

  // The prerequisites: one CheckFileInfo, whose answer decides whether (and what) to run.
  const pre: CheckCaseResult = {
    id: firstCaseId,
    group: PREREQUISITES.group,
    name: PREREQUISITES.name,
    title: 'CheckFileInfo answers 200 with a JSON body naming the file (BaseFileName)',
    origin: 'validator',
    status: 'pass',
    durationMs: 0,
    exchanges: [],
  };
  session.enter(firstCaseId, pre.exchanges);
  run.groups.push({ id: PREREQUISITES.group, title: 'Before the cases', status: 'ran', cases: [pre] });
  const t0 = performance.now();
  let info: Record<string, unknown> | undefined;
  let refusal: string | undefined;
  try {
    const res = await client.checkFileInfo(opts.target);
    const body = res.json();
    if (res.status !== 200 || !body) {
      pre.status = 'fail';
      pre.expected = '200 with a JSON object body';
      pre.actual = res.summary();
      refusal =
        res.status === 200
          ? 'the first CheckFileInfo answered 200 without a JSON object body, so nothing else can be checked'
          : `the first CheckFileInfo answered ${res.status}, not 200 (a wrong WOPISrc or an expired token?), so nothing else can be checked`;
    } else if (typeof body['BaseFileName'] !== 'string' || body['BaseFileName'] === '') {
      pre.status = 'fail';
      pre.expected = 'BaseFileName: a non-empty string';
      pre.actual = `BaseFileName is ${body['BaseFileName'] === undefined ? 'absent' : JSON.stringify(body['BaseFileName'])}`;
      refusal =
        'the first CheckFileInfo has no BaseFileName, so the run cannot tell whether the file may be written to';
    } else info = body;
  } catch (e) {
    pre.status = 'error';
    pre.reason = errorReason(e);
    refusal = `could not reach the host for the first CheckFileInfo (${e instanceof Error ? e.message : String(e)})`;
  }
  pre.durationMs = elapsedSince(t0);
  session.count(pre);
  if (info === undefined) return session.finish('failed', refusal);

  const fileName = info['BaseFileName'] as string;
  run.fileName = fileName;
  if (opts.allowWrites !== true && !fileName.toLowerCase().endsWith(WRITABLE_SUFFIX))
    return session.finish(
      'failed',
      `refused to run: the checks write to the file (locks, PutFile, rename, delete) and "${fileName}" does not end in ${WRITABLE_SUFFIX}; point the run at a scratch ${WRITABLE_SUFFIX} file, or pass --allow-writes (allowWrites in the control API) to write to this one; nothing was written`,
    );

  // Every group is listed: skipped ones with their cases marked skipped and the reason.
  const plan: Array<{ group: CheckGroup; result: CheckGroupResult }> = selected.map((group) => {
    const why = skipReason(group, info, opts.signer !== undefined);
    const result: CheckGroupResult = {
      id: group.id,
      title: group.title,
      status: why === undefined ? 'ran' : 'skipped',
      ...(why !== undefined ? { skippedBecause: why } : {}),
      cases:
        why === undefined
          ? []
          : group.cases.map((c) => ({ ...caseResult(group, c), status: 'skip' as const, reason: why })),
    };
    result.cases.forEach(session.count);
    run.groups.push(result);
    return { group, result };
  });
  session.publish();

  for (const { group, result } of plan) {
    if (result.status === 'skipped') continue;
    for (const c of group.cases) {
      const r = caseResult(group, c);
      session.enter(r.id, r.exchanges);
      result.cases.push(
        await runStep(r, (cleanup) => {
          const ctx: CaseContext = {
            target: opts.target,
            client,
            info,
            cleanup,
            ...(opts.signer ? { signer: opts.signer } : {}),
          };
          return c.run(ctx);
        }),
      );
      session.count(r);
      session.publish();
    }
  }
  return session.finish('done');
}
