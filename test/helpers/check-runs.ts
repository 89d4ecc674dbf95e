// Conformance runs in tests: start one through the control API and wait for its end, find a case's
// result, and say what a result was in one line for a failure message.
import assert from 'node:assert/strict';
import { createControlClient } from '../../server/contracts';
import type { ControlClient } from '../../server/contracts';
import type { CheckCaseResult, CheckRunView, StartCheckRequest } from '../../server/contracts/api';

const RUN_WAIT_MS = 240_000;

export function controlClient(run: { controlUrl: string; controlToken: string }): ControlClient {
  return createControlClient({ baseUrl: run.controlUrl, token: run.controlToken });
}

/** Polls GET /v1/checks/:runId until the run is no longer running. */
export async function waitForRun(client: ControlClient, runId: string): Promise<CheckRunView> {
  const deadline = Date.now() + RUN_WAIT_MS;
  for (;;) {
    const run = await client.check({ params: { runId } });
    if (run.state !== 'running') return run;
    assert.ok(Date.now() < deadline, `conformance run ${runId} still running after ${RUN_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POST /v1/checks, then the finished run. */
export async function checkVia(client: ControlClient, body: StartCheckRequest): Promise<CheckRunView> {
  const started = await client.startCheck({ body });
  assert.equal(started.state, 'running');
  return waitForRun(client, started.id);
}

export function caseResult(run: CheckRunView, caseId: string): CheckCaseResult | undefined {
  for (const g of run.groups) for (const c of g.cases) if (c.id === caseId) return c;
  return undefined;
}

/** `fail: expected …; got …` / `skip: …` — what a result says, for an assertion message. */
export function describeResult(r: CheckCaseResult): string {
  if (r.status === 'fail') return `fail: expected ${r.expected ?? '?'}; got ${r.actual ?? '?'}`;
  return r.reason !== undefined ? `${r.status}: ${r.reason}` : r.status;
}

/** Every case of a run that did not pass, one line each. */
export function notPassed(run: CheckRunView): string[] {
  return run.groups.flatMap((g) =>
    g.cases.filter((c) => c.status !== 'pass').map((c) => `${c.id} ${describeResult(c)}`),
  );
}
