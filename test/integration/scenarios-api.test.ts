// Scenario runs through the API model and through the control-client host: a real workbench on port 0
// over a temp folder and a real SQLite data dir. A run is a stored, tagged CheckRunView of kind
// 'scenario'; a wrong expectation fails the step naming expected and actual; a malformed document is
// refused naming the step, the field and the fix; the shipped scenarios pass on a fresh host.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiModelError } from '../../server/api';
import { shippedScenarios } from '../../server/api/scenarios';
import { createControlClient } from '../../server/contracts/client';
import type { CheckRunView } from '../../server/contracts/api';
import { controlScenarioHost } from '../../server/conformance/scenario/control-host';
import { parseScenarioText, ScenarioInputError } from '../../server/conformance/scenario/format';
import { runScenario } from '../../server/conformance/scenario/runner';
import type { EngineBench } from '../helpers/engine-fixture';
import { makeRoot, startEngine } from '../helpers/engine-fixture';

const SMOKE = `
id: smoke-run
title: smoke
file: { path: smoke.wopitest, content: "one\\n" }
personas: [editor, coauthor]
steps:
  - disk: replace
    text: "one\\n"
  - wopi: CheckFileInfo
    as: editor
    keep: { v: Version }
    expect: 200
  - disk: append
    text: "two\\n"
  - wopi: CheckFileInfo
    as: editor
    expect: { status: 200, json: { Version: { not: "{{v}}" } } }
  - wopi: GetFile
    as: editor
    expect: { status: 200, body: "one\\ntwo\\n" }
  - lockLab: set
    as: coauthor
    lock: theirs
  - wopi: Lock
    as: editor
    lock: mine
    expect: { status: 409, headers: { X-WOPI-Lock: "{{lock:theirs}}" } }
  - expect: { lock: theirs, content: "one\\ntwo\\n" }
`;

let bench: EngineBench;
before(async () => {
  bench = await startEngine(await makeRoot('wb-scenarios-'));
});
after(async () => {
  await bench.dispose();
});

async function runToEnd(
  req: Parameters<EngineBench['engine']['api']['runScenario']>[0],
): Promise<CheckRunView> {
  const { engine } = bench;
  const started = await engine.api.runScenario(req);
  assert.equal(started.state, 'running');
  assert.equal(started.kind, 'scenario');
  for (;;) {
    const run = await engine.api.check(started.id);
    if (run.state !== 'running') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const notPassed = (run: CheckRunView): string[] =>
  run.groups.flatMap((g) =>
    g.cases
      .filter((c) => c.status !== 'pass')
      .map((c) => `${c.id} ${c.status}: ${c.expected ?? ''} / ${c.actual ?? ''} ${c.reason ?? ''}`),
  );

describe('scenario runs through the API model', () => {
  it('runs every step, stores the run and leaves the file as the steps made it', async () => {
    const run = await runToEnd({ text: SMOKE });
    assert.equal(run.state, 'done', run.error);
    assert.deepEqual(notPassed(run), []);
    assert.equal(run.groups.length, 1);
    assert.equal(run.groups[0]!.cases.length, 9, 'eight steps and the cleanup');
    assert.equal(run.fileName, 'smoke.wopitest');
    assert.deepEqual(run.scenario, { id: 'smoke-run', title: 'smoke' });
    assert.equal(run.groups[0]!.id, 'SmokeRun', 'a group id a check tag can carry');
    const stored = await bench.engine.api.checks();
    assert.ok(
      stored.some((r) => r.id === run.id && r.kind === 'scenario'),
      'kept with the conformance runs',
    );
    assert.equal(await readFile(path.join(bench.folder, 'smoke.wopitest'), 'utf8'), 'one\ntwo\n');
    // The cleanup released the lock the lock lab set for the scenario.
    assert.deepEqual(
      (await bench.engine.api.locks()).filter((l) => l.path === 'smoke.wopitest'),
      [],
      'no lock left behind',
    );
  });

  it('tags every WOPI request of the run with the run and its step, so the log shows one session', async () => {
    const run = await runToEnd({ text: SMOKE });
    const page = await bench.engine.api.requests({ limit: 200 });
    const ours = page.items.filter((r) => r.check?.runId === run.id);
    // CheckFileInfo twice, GetFile, Lock: four WOPI requests.
    assert.equal(ours.length, 4, `tagged requests: ${ours.map((r) => r.operation).join(', ')}`);
    const stepOf = new Map(run.groups[0]!.cases.flatMap((c) => c.exchanges.map((x) => [x, c.id] as const)));
    for (const rec of ours)
      assert.equal(rec.check?.caseId, stepOf.get(rec.id), `${rec.operation} is its step's`);
    assert.deepEqual(ours.map((r) => r.operation).sort(), [
      'CheckFileInfo',
      'CheckFileInfo',
      'GetFile',
      'Lock',
    ]);
  });

  it('a wrong expectation fails its step with expected and actual; the later steps are skipped', async () => {
    const wrong = SMOKE.replace('expect: { status: 409, headers', 'expect: { status: 200, headers');
    const run = await runToEnd({ text: wrong });
    assert.equal(run.state, 'done');
    const cases = run.groups[0]!.cases;
    const failed = cases.find((c) => c.status === 'fail');
    assert.ok(failed, notPassed(run).join('\n'));
    assert.equal(failed.id, 'SmokeRun.Step07');
    assert.match(failed.name, /Step07 editor: Lock/);
    assert.equal(failed.expected, 'Lock: 200');
    assert.match(failed.actual ?? '', /^409 /);
    assert.ok(failed.failedExchange !== undefined && failed.exchanges.includes(failed.failedExchange));
    assert.equal(cases.find((c) => c.id === 'SmokeRun.Step08')?.status, 'skip');
    assert.equal(run.totals.fail, 1);
  });

  it('refuses a malformed scenario naming the step, the field and the fix, before anything runs', async () => {
    const before = (await bench.engine.api.checks()).length;
    await assert.rejects(
      bench.engine.api.runScenario({
        text: 'title: x\nsteps:\n  - wopi: CheckFileInfo\n  - wopi: lock\n  - sim: open\n    mode: coauthor\n  - expect: { lock: 3 }\n',
      }),
      (e: unknown) => {
        assert.ok(e instanceof ApiModelError && e.code === 'bad-request');
        assert.match(e.message, /steps\[1\]\.wopi: "lock" is not one of .* \(did you mean Lock\?\)/);
        assert.match(e.message, /steps\[2\]\.with: is required with mode coauthor/);
        assert.match(e.message, /steps\[3\]\.expect\.lock: must be none, a lock name/);
        return true;
      },
    );
    assert.equal((await bench.engine.api.checks()).length, before, 'no run was started');
    assert.throws(
      () => parseScenarioText('title: x\nfile: ../outside.txt\nsteps: [{ wait: 5, disk: append }]'),
      (e: unknown) =>
        e instanceof ScenarioInputError &&
        e.problems.some((p) => /^file\.path: .* must stay inside the served folder/.test(p)) &&
        e.problems.some((p) => /^steps\[0\]: has disk and wait; one step does one thing/.test(p)),
    );
    await assert.rejects(bench.engine.api.runScenario({ id: 'no-such-scenario' }), /no shipped scenario/);
  });

  it('one run at a time: a second run while one is going is a conflict', async () => {
    const slow = 'title: slow\nsteps:\n  - wait: 400\n';
    const first = await bench.engine.api.runScenario({ text: slow });
    await assert.rejects(
      bench.engine.api.startCheck({}),
      (e: unknown) => e instanceof ApiModelError && e.code === 'conflict',
    );
    await assert.rejects(
      bench.engine.api.runScenario({ text: slow }),
      (e: unknown) => e instanceof ApiModelError && e.code === 'conflict',
    );
    for (;;) {
      if ((await bench.engine.api.check(first.id)).state !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('the same scenario runs through the control client (a workbench in another process)', async () => {
    const client = createControlClient({
      baseUrl: bench.engine.controlUrl(),
      token: bench.engine.controlToken,
    });
    // This serve does not watch its folder: the file is served before the run (a watching serve lists
    // a file the scenario makes by itself).
    await bench.file('smoke-control.wopitest', 'zero\n');
    const host = await controlScenarioHost({ client });
    const updates: CheckRunView[] = [];
    const run = await runScenario({
      scenario: parseScenarioText(SMOKE.replace('smoke.wopitest', 'smoke-control.wopitest')),
      host,
      onUpdate: (v) => updates.push(v),
    });
    assert.equal(run.state, 'done', run.error);
    assert.deepEqual(notPassed(run), []);
    assert.equal(run.kind, 'scenario');
    assert.ok(updates.length >= 9, 'published after every step');
    assert.equal(await readFile(path.join(bench.folder, 'smoke-control.wopitest'), 'utf8'), 'one\ntwo\n');
  });

  it('a session the steps leave open is closed by the cleanup, its requests listed there', async () => {
    const run = await runToEnd({
      text: 'title: left open\nfile: { path: left-open.txt, content: "x\\n" }\nsteps:\n  - sim: open\n    as: editor\n    expect: { state: editing }\n',
    });
    assert.equal(run.state, 'done', run.error);
    assert.deepEqual(notPassed(run), []);
    const [open, cleanup] = run.groups[0]!.cases;
    assert.ok(open!.exchanges.length > 0, 'the open step lists the simulator requests');
    assert.ok(cleanup!.exchanges.length > 0, 'the cleanup lists the close (Unlock) it caused');
    const sessions = await bench.engine.api.simSessions();
    const left = sessions.filter((x) => x.fileName === 'left-open.txt');
    assert.ok(left.length > 0 && left.every((x) => x.state === 'closed'), 'closed by the cleanup');
    assert.deepEqual(
      (await bench.engine.api.locks()).filter((l) => l.path === 'left-open.txt'),
      [],
      'its lock released',
    );
  });

  it('the full example of docs/SCENARIOS.md passes', async () => {
    const doc = await readFile(path.join(import.meta.dirname, '..', '..', 'docs', 'SCENARIOS.md'), 'utf8');
    const example = /## A full example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'docs/SCENARIOS.md has its full example');
    const run = await runToEnd({ text: example });
    assert.equal(run.state, 'done', run.error);
    assert.deepEqual(notPassed(run), []);
  });

  it('every shipped scenario passes against a fresh host, its WOPI and simulator traffic tagged', async (t) => {
    const shipped = shippedScenarios();
    assert.ok(shipped.length >= 7, 'the scenarios/ folder is found');
    for (const s of shipped) {
      await t.test(s.id, async () => {
        // A scenario that needs a --proof enforce host gets one, as the CLI's embedded workbench does.
        const proof = s.scenario.requires?.proof;
        const fresh = await startEngine(
          await makeRoot('wb-scenario-shipped-'),
          proof !== undefined ? { proofMode: proof } : {},
        );
        try {
          const started = await fresh.engine.api.runScenario({ id: s.id });
          let run = started;
          while (run.state === 'running') {
            await new Promise((r) => setTimeout(r, 50));
            run = await fresh.engine.api.check(started.id);
          }
          assert.equal(run.state, 'done', run.error);
          assert.deepEqual(notPassed(run), []);
          const tagged = (await fresh.engine.api.requests({ limit: 500 })).items.filter(
            (r) => r.check?.runId === run.id,
          );
          const sends = s.scenario.steps.filter((st) => st.kind === 'wopi' || st.kind === 'sim');
          assert.ok(
            tagged.length >= sends.length,
            `${tagged.length} tagged requests for ${sends.length} steps`,
          );
          const stepIds = new Set(run.groups[0]!.cases.map((c) => c.id));
          // Each tagged request is listed under its step (the simulator's as well as the runner's).
          const listed = new Set(run.groups[0]!.cases.flatMap((c) => c.exchanges));
          for (const r of tagged)
            assert.ok(listed.has(r.id), `${r.operation} ${r.id} is listed under its step`);
          for (const r of tagged)
            assert.ok(stepIds.has(r.check!.caseId), `${r.check!.caseId} is a step of the run`);
          // Every fault the scenario set is gone, and no lock is left behind.
          assert.deepEqual(await fresh.engine.api.faults(), []);
          assert.deepEqual(await fresh.engine.api.locks(), []);
        } finally {
          await fresh.dispose();
        }
      });
    }
  });
});
