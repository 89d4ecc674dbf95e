// The step engine conformance runs and scenario runs share: one run view, one recording WOPI client
// that tags every exchange with the run and the step being run, and a step runner that turns what a
// step threw (CaseFailure, CaseSkip, anything else) into a CheckCaseResult with its timing and its
// exchanges, its cleanup run after it in reverse order whatever happened.
import { randomUUID } from 'node:crypto';
import type {
  CheckCaseResult,
  CheckCaseStatus,
  CheckRunView,
  CheckTag,
  RequestRecord,
} from '../contracts/api';
import { createWopiClient } from './client';
import type { ProofSigner, WopiClient } from './client';
import { CaseFailure, CaseSkip } from './types';

export const emptyTotals = (): Record<CheckCaseStatus, number> => ({ pass: 0, fail: 0, skip: 0, error: 0 });

export const elapsedSince = (t0: number): number => Math.round((performance.now() - t0) * 100) / 100;

/** One sentence about what broke, from anything a step threw. */
export function errorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const firstLine = message.split('\n')[0]!.trim() || 'no message';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `the request failed: ${firstLine}`;
  if (/^no response within/.test(firstLine)) return `the host did not answer: ${firstLine}`;
  return `the case broke: ${firstLine}`;
}

export type CleanupStep = () => Promise<unknown>;

/** Runs undo steps newest first; answers the first line of each one that failed. */
export async function runCleanup(steps: CleanupStep[]): Promise<string[]> {
  const errors: string[] = [];
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch (e) {
      errors.push(e instanceof Error ? e.message.split('\n')[0]! : String(e));
    }
  }
  return errors;
}

export interface RunSessionOptions {
  runId?: string;
  /** Epoch ms for startedAt/finishedAt. */
  now?: () => number;
  /** What the run view starts with (everything but id, startedAt, state, groups, totals). */
  view: Omit<CheckRunView, 'id' | 'startedAt' | 'state' | 'groups' | 'totals'>;
  /** The step id the first exchanges are tagged with, before any step runs. */
  firstCaseId: string;
  /** Receives the client-side record of each exchange the host does not record itself. */
  record?: (rec: RequestRecord) => void;
  signer?: ProofSigner;
  timeoutMs?: number;
  /** Called with a snapshot of the run after every step. */
  onUpdate?: (run: CheckRunView) => void;
}

/** A run being made: its view, its client, and who the client's exchanges belong to. */
export interface RunSession {
  run: CheckRunView;
  client: WopiClient;
  /** The tag the client sends now (the step being run). */
  tag: () => CheckTag;
  /** From now on the client's exchanges are this step's: tagged with it and listed in `exchanges`. */
  enter: (caseId: string, exchanges: string[]) => void;
  count: (r: CheckCaseResult) => void;
  publish: () => void;
  finish: (state: 'done' | 'failed', error?: string) => CheckRunView;
}

export function startRunSession(opts: RunSessionOptions): RunSession {
  const now = opts.now ?? Date.now;
  const run: CheckRunView = {
    id: opts.runId ?? randomUUID(),
    startedAt: now(),
    state: 'running',
    ...opts.view,
    groups: [],
    totals: emptyTotals(),
  };
  let tag: CheckTag = { runId: run.id, caseId: opts.firstCaseId };
  let exchanges: string[] = [];
  const client = createWopiClient({
    tag: () => tag,
    ...(opts.record ? { record: opts.record } : {}),
    // Our own host's router records and tags the exchanges itself.
    hostRecords: opts.view.ownHost,
    onExchange: (id) => exchanges.push(id),
    ...(opts.signer ? { signer: opts.signer } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const publish = (): void => opts.onUpdate?.(structuredClone(run));
  return {
    run,
    client,
    tag: () => tag,
    enter(caseId, list) {
      tag = { runId: run.id, caseId };
      exchanges = list;
    },
    count: (r) => void (run.totals[r.status] += 1),
    publish,
    finish(state, error) {
      run.state = state;
      if (error !== undefined) run.error = error;
      run.finishedAt = now();
      publish();
      return structuredClone(run);
    },
  };
}

/**
 * One step: its body, then the cleanup steps it registered in reverse order, whatever the body did.
 * A CaseFailure is a 'fail' with expected/actual and the exchange; a CaseSkip a 'skip'; anything else
 * an 'error'. Cleanup failures are noted in `reason`, never turned into the verdict.
 */
export async function runStep(
  r: CheckCaseResult,
  body: (cleanup: (step: CleanupStep) => void) => Promise<void>,
): Promise<CheckCaseResult> {
  const steps: CleanupStep[] = [];
  const t0 = performance.now();
  try {
    await body((step) => void steps.push(step));
  } catch (e) {
    if (e instanceof CaseFailure) {
      r.status = 'fail';
      r.expected = e.expected;
      r.actual = e.actual;
      if (e.exchange !== undefined) r.failedExchange = e.exchange;
    } else if (e instanceof CaseSkip) {
      r.status = 'skip';
      r.reason = e.message;
    } else {
      r.status = 'error';
      r.reason = errorReason(e);
    }
  }
  const cleanupErrors = await runCleanup(steps);
  if (cleanupErrors.length > 0) {
    const note = `cleanup failed (the file may be left changed): ${cleanupErrors.join('; ')}`;
    r.reason = r.reason === undefined ? note : `${r.reason}; ${note}`;
  }
  r.durationMs = elapsedSince(t0);
  return r;
}
