// Conformance runs: the host's list (GET /v1/checks, newest first) kept current by 'check:updated'
// events, each carrying the whole run. Also how a run reads at a glance: its counts, its verdict, and
// the outcome a notice may announce once it ends.
import type {
  CheckCaseResult,
  CheckCaseStatus,
  CheckGroupResult,
  CheckRunView,
} from '../../server/contracts';
import type { NoticeStore } from './notices';
import type { Outcome } from './outcomes';
import { Store } from './store';

/** Runs kept in this window: the newest ones; older runs stay on the host. */
export const RUN_CAP = 100;

export const CASE_STATUSES: readonly CheckCaseStatus[] = ['pass', 'fail', 'error', 'skip'];

export interface CheckState {
  /** Newest first. */
  runs: readonly CheckRunView[];
  loaded: boolean;
  /** Why the list could not be read, in words. */
  error?: string;
}

export class CheckStore extends Store<CheckState> {
  constructor(private readonly cap = RUN_CAP) {
    super({ runs: [], loaded: false });
  }

  load(runs: readonly CheckRunView[]): void {
    this.set({ runs: newestFirst(runs).slice(0, this.cap), loaded: true });
  }

  setError(error: string): void {
    this.set({ ...this.state, loaded: true, error });
  }

  /**
   * A run's latest state (an event, or the answer to a start). Events carry the whole run, so the
   * newer copy replaces the older; an update older than the one held (a late answer) is ignored.
   */
  apply(run: CheckRunView): void {
    const held = this.state.runs.find((r) => r.id === run.id);
    if (held && !isNewer(run, held)) return;
    const others = this.state.runs.filter((r) => r.id !== run.id);
    this.update({ runs: newestFirst([run, ...others]).slice(0, this.cap) });
  }

  byId(id: string): CheckRunView | undefined {
    return this.state.runs.find((run) => run.id === id);
  }
}

function newestFirst(runs: readonly CheckRunView[]): CheckRunView[] {
  return [...runs].sort((a, b) => b.startedAt - a.startedAt);
}

function casesDone(run: CheckRunView): number {
  return run.groups.reduce((n, group) => n + group.cases.length, 0);
}

/**
 * Whether `next` is a later state of the same run than `held`: an ended run never goes back to
 * running, and a running one only gains cases.
 */
function isNewer(next: CheckRunView, held: CheckRunView): boolean {
  if (held.state !== 'running') return next.state !== 'running';
  if (next.state !== 'running') return true;
  return casesDone(next) >= casesDone(held);
}

export type Counts = Record<CheckCaseStatus, number>;

export function emptyCounts(): Counts {
  return { pass: 0, fail: 0, skip: 0, error: 0 };
}

export function countCases(cases: readonly CheckCaseResult[]): Counts {
  const counts = emptyCounts();
  for (const c of cases) if (Object.hasOwn(counts, c.status)) counts[c.status]++;
  return counts;
}

/** A run's cases by status, counted from its groups (what is shown), not trusted from its totals. */
export function runCounts(run: CheckRunView): Counts {
  return countCases(run.groups.flatMap((group) => group.cases));
}

export type Verdict = 'running' | 'passed' | 'failed' | 'broken';

/**
 * One word for a run: still going; every case that ran passed; some case failed or erred; or the run
 * itself could not go on (run.error), whatever its cases said.
 */
export function runVerdict(run: CheckRunView): Verdict {
  if (run.state === 'running') return 'running';
  if (run.state === 'failed') return 'broken';
  const counts = runCounts(run);
  return counts.fail > 0 || counts.error > 0 ? 'failed' : 'passed';
}

/** A group's cases that need a look first: failures, then errors; passes and skips after. */
export function groupNeedsLook(group: CheckGroupResult): boolean {
  return group.cases.some((c) => c.status === 'fail' || c.status === 'error');
}

export function findCase(run: CheckRunView, caseId: string): CheckCaseResult | undefined {
  for (const group of run.groups) {
    const found = group.cases.find((c) => c.id === caseId);
    if (found) return found;
  }
  return undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "12 passed, 1 failed, 3 skipped": the counts that are not zero, in a fixed order. */
export function describeCounts(counts: Counts): string {
  const parts: string[] = [];
  if (counts.pass) parts.push(`${counts.pass} passed`);
  if (counts.fail) parts.push(`${counts.fail} failed`);
  if (counts.error) parts.push(plural(counts.error, 'error'));
  if (counts.skip) parts.push(`${counts.skip} skipped`);
  return parts.length > 0 ? parts.join(', ') : 'no case ran';
}

/** A scenario run (a scenario file's steps as cases), as opposed to a conformance run. */
export function isScenarioRun(run: CheckRunView): boolean {
  return run.kind === 'scenario';
}

/** "Conformance run", or "Scenario “title”" for a scenario run. */
export function runNoun(run: CheckRunView): string {
  return isScenarioRun(run) ? `Scenario “${run.scenario?.title ?? 'pasted'}”` : 'Conformance run';
}

/** What a notice says once a run has ended; null while it runs. */
export function checkRunOutcome(run: CheckRunView): Outcome | null {
  const verdict = runVerdict(run);
  const counts = describeCounts(runCounts(run));
  const noun = runNoun(run);
  switch (verdict) {
    case 'running':
      return null;
    case 'passed':
      return { kind: 'success', text: `${noun} passed: ${counts}` };
    case 'failed':
      return { kind: 'error', text: `${noun} failed: ${counts}` };
    case 'broken':
      return { kind: 'error', text: `${noun} stopped: ${run.error ?? 'no reason given'}` };
  }
}

/**
 * Settle the notice `id` with the outcome of run `run` once it has ended: at once when it has, else
 * from a later update in `checks` (a run the host no longer lists is said to be gone). Returns a
 * function that stops following.
 */
export function settleCheckRun(
  notices: NoticeStore,
  checks: CheckStore,
  id: number,
  run: CheckRunView,
): () => void {
  // The store may already hold a later state than `run` (its events can overtake the start's answer).
  const now = checkRunOutcome(checks.byId(run.id) ?? run);
  if (now) {
    notices.settle(id, now.kind, now.text);
    return () => {};
  }
  const unsubscribe = checks.subscribe(() => {
    const latest = checks.byId(run.id);
    const outcome: Outcome | null = latest
      ? checkRunOutcome(latest)
      : { kind: 'info', text: `${runNoun(run)} is no longer on the host (it restarted?)` };
    if (!outcome) return;
    unsubscribe();
    notices.settle(id, outcome.kind, outcome.text);
  });
  return unsubscribe;
}

/**
 * The run's own first step (its CheckFileInfo) is reported as a group of its own; it is not a group a
 * person can pick.
 */
export const PREREQUISITES_GROUP = 'Run';

export interface GroupChoice {
  id: string;
  title: string;
}

/** The groups a run may be limited to, as the host's latest runs list them (every group, run or skipped). */
export function knownGroups(runs: readonly CheckRunView[]): GroupChoice[] {
  const seen = new Map<string, GroupChoice>();
  for (const run of runs) {
    for (const group of run.groups) {
      if (group.id === PREREQUISITES_GROUP || seen.has(group.id)) continue;
      seen.set(group.id, { id: group.id, title: group.title });
    }
  }
  return [...seen.values()];
}
