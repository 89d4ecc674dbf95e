// The runner's own rules, with groups made here (not the suite's): the CheckFileInfo first, the
// .wopitest guard before any write, groups skipped by capability or a missing signer with the reason
// named, each case's outcome (pass, fail with expected/actual, skip, error), cleanup in reverse after
// every case whatever happened, exchanges listed in order, and every exchange tagged — by our host
// for our host, on the client side for another host.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caseIds, runCheck, selectGroups } from '../../../server/conformance/runner';
import { CaseSkip } from '../../../server/conformance/types';
import type { CheckGroup } from '../../../server/conformance/types';
import { expectStatus } from '../../../server/conformance/expect';
import type { CheckRunView, RequestRecord } from '../../../server/contracts/api';
import { parseCheckTag } from '../../../server/protocol/headers';
import { engineForSuite } from '../../helpers/engine-fixture';
import { startMiniHost } from '../../helpers/mini-host';

const bench = engineForSuite('wb-runner-', { 'run.wopitest': 'runner scratch\n', 'keep.docx': 'keep\n' });

function table(order: string[]): CheckGroup[] {
  return [
    {
      id: 'Outcomes',
      title: 'one case per outcome',
      requires: {},
      cases: [
        {
          name: 'Passes',
          title: 'locks, then unlocks in its cleanup',
          origin: 'validator',
          async run(ctx) {
            expectStatus(await ctx.client.lock(ctx.target, 'L1'), 200);
            ctx.cleanup(async () => {
              order.push('unlock');
              await ctx.client.unlock(ctx.target, 'L1');
            });
            ctx.cleanup(async () => {
              order.push('first registered last');
              throw new Error('cleanup step broke');
            });
            expectStatus(await ctx.client.getLock(ctx.target), 200);
          },
        },
        {
          name: 'Fails',
          title: 'expects what the host does not do',
          origin: 'workbench',
          async run(ctx) {
            // The lock is gone: the previous case's cleanup ran before this case.
            const res = await ctx.client.getLock(ctx.target);
            order.push(`lock seen: ${JSON.stringify(res.header('X-WOPI-Lock'))}`);
            expectStatus(res, 418, 'a teapot');
          },
        },
        {
          name: 'Skips',
          title: 'cannot run here',
          origin: 'workbench',
          async run() {
            throw new CaseSkip('no such capability');
          },
        },
        {
          name: 'Breaks',
          title: 'a bug in the case',
          origin: 'workbench',
          async run() {
            throw new TypeError('undefined is not a function');
          },
        },
      ],
    },
    {
      id: 'NeedsFoo',
      title: 'needs a capability',
      requires: { SupportsFoo: true },
      cases: [
        {
          name: 'Never',
          title: 'never runs',
          origin: 'validator',
          run: () => Promise.reject(new Error('ran')),
        },
      ],
    },
    {
      id: 'NeedsSigner',
      title: 'needs --sign',
      requires: {},
      needsSigner: true,
      cases: [
        {
          name: 'Never',
          title: 'never runs',
          origin: 'validator',
          run: () => Promise.reject(new Error('ran')),
        },
      ],
    },
  ];
}

/** Records the bus publishes while `fn` runs. */
async function recording<T>(fn: () => Promise<T>): Promise<{ value: T; records: RequestRecord[] }> {
  const records: RequestRecord[] = [];
  const off = bench.engine.bus.on('request:completed', (e) => records.push(e.data));
  try {
    const value = await fn();
    await new Promise((r) => setTimeout(r, 50)); // the host emits a record once its response has closed
    return { value, records };
  } finally {
    off();
  }
}

const caseOf = (run: CheckRunView, id: string) =>
  run.groups.flatMap((g) => g.cases).find((c) => c.id === id)!;

void describe('conformance runner', () => {
  void it('selects groups by id (any case), names the known ones for an unknown id', () => {
    const t = table([]);
    assert.deepEqual(
      selectGroups(['needsfoo', 'Outcomes'], t).map((g) => g.id),
      ['Outcomes', 'NeedsFoo'],
    );
    assert.throws(
      () => selectGroups(['Nope'], t),
      /unknown conformance group "Nope"; the groups are: Outcomes, NeedsFoo, NeedsSigner/,
    );
    assert.deepEqual(caseIds(t).slice(0, 2), ['Outcomes.Passes', 'Outcomes.Fails']);
  });

  void it('runs every case to its outcome, cleanup in reverse after each, skips groups with the reason', async () => {
    const order: string[] = [];
    const updates: CheckRunView[] = [];
    const target = bench.target(await bench.idOf('run.wopitest'));
    const { value: run, records } = await recording(() =>
      runCheck({ target, ownHost: true, groupsTable: table(order), onUpdate: (r) => updates.push(r) }),
    );
    assert.equal(run.state, 'done');
    assert.equal(run.fileName, 'run.wopitest');
    assert.deepEqual(run.totals, { pass: 2, fail: 1, skip: 3, error: 1 });
    assert.deepEqual(order, ['first registered last', 'unlock', 'lock seen: ""']);

    const passes = caseOf(run, 'Outcomes.Passes');
    assert.equal(passes.status, 'pass');
    assert.match(
      passes.reason ?? '',
      /cleanup failed .*cleanup step broke/,
      'a cleanup error is noted, not the verdict',
    );
    const fails = caseOf(run, 'Outcomes.Fails');
    assert.equal(fails.status, 'fail');
    assert.equal(fails.expected, 'a teapot: 418');
    assert.match(fails.actual ?? '', /^200 x-wopi-lock: ""/);
    assert.equal(caseOf(run, 'Outcomes.Skips').reason, 'no such capability');
    assert.equal(caseOf(run, 'Outcomes.Breaks').status, 'error');
    assert.equal(caseOf(run, 'Outcomes.Breaks').reason, 'the case broke: undefined is not a function');
    const foo = run.groups.find((g) => g.id === 'NeedsFoo')!;
    assert.deepEqual([foo.status, foo.skippedBecause], ['skipped', 'SupportsFoo is absent, not true']);
    assert.equal(foo.cases[0]!.status, 'skip');
    assert.match(run.groups.find((g) => g.id === 'NeedsSigner')!.skippedBecause ?? '', /^needs --sign/);

    // Exchanges in order, each our host's own record, tagged with the run and the case.
    const byId = new Map(records.map((r) => [r.id, r]));
    assert.deepEqual(
      passes.exchanges.map((id) => byId.get(id)?.operation),
      ['Lock', 'GetLock', 'Unlock'],
    );
    for (const c of run.groups.flatMap((g) => g.cases))
      for (const id of c.exchanges) assert.deepEqual(byId.get(id)?.check, { runId: run.id, caseId: c.id });
    assert.ok(
      records.every((r) => r.source === undefined),
      'no client-side copies for our own host',
    );

    // Published once the plan is made (after the prerequisites), after every case, and at the end.
    assert.equal(updates.length, 1 + 4 + 1);
    assert.ok(updates.slice(0, -1).every((u) => u.state === 'running'));
    assert.deepEqual(updates.at(-1), run);
  });

  void it('refuses a file that is not a .wopitest before any write, unless writes are allowed', async () => {
    const target = bench.target(await bench.idOf('keep.docx'));
    const { value: run, records } = await recording(() =>
      runCheck({ target, ownHost: true, groupsTable: table([]) }),
    );
    assert.equal(run.state, 'failed');
    assert.match(run.error ?? '', /"keep\.docx" does not end in \.wopitest.*--allow-writes/);
    assert.deepEqual(
      records.map((r) => r.operation),
      ['CheckFileInfo'],
    );
    const allowed = await runCheck({ target, ownHost: true, allowWrites: true, groupsTable: table([]) });
    assert.equal(allowed.state, 'done');
  });

  void it('a CheckFileInfo that is not 200 JSON stops the run, saying why', async () => {
    const target = { ...bench.target(await bench.idOf('run.wopitest')), accessToken: 'not-a-token' };
    const run = await runCheck({ target, ownHost: true, groupsTable: table([]) });
    assert.equal(run.state, 'failed');
    assert.match(run.error ?? '', /answered 401, not 200/);
    assert.equal(caseOf(run, 'Run.Prerequisites').status, 'fail');
    assert.equal(run.groups.length, 1, 'no group ran');
  });

  void it("another host: each exchange is a client-side record, tagged, with the host's answer", async () => {
    const host = await startMiniHost({ files: { 'doc.wopitest': Buffer.from('hello') } });
    try {
      const records: RequestRecord[] = [];
      const run = await runCheck({
        target: { wopiSrc: host.wopiSrc('doc.wopitest'), accessToken: host.token('doc.wopitest') },
        ownHost: false,
        record: (r) => records.push(r),
        groupsTable: table([]),
      });
      const exchanges = run.groups.flatMap((g) => g.cases).flatMap((c) => c.exchanges);
      assert.deepEqual(
        records.map((r) => r.id),
        exchanges,
      );
      for (const r of records) {
        assert.equal(r.source, 'check');
        assert.equal(r.upstream, host.wopiSrc('doc.wopitest'));
        assert.equal(r.check?.runId, run.id);
        assert.deepEqual(parseCheckTag(r.requestHeaders['x-workbench-check']), r.check);
      }
      assert.deepEqual(
        records.filter((r) => r.check?.caseId === 'Outcomes.Passes').map((r) => [r.operation, r.status]),
        [
          ['Lock', 200],
          ['GetLock', 200],
          ['Unlock', 200],
        ],
      );
    } finally {
      await host.close();
    }
  });

  void it('the check tag header: a run id and a Group.Case id, nothing else', () => {
    assert.deepEqual(parseCheckTag('abc-1 Locks.files.GetLock'), {
      runId: 'abc-1',
      caseId: 'Locks.files.GetLock',
    });
    for (const bad of [undefined, '', 'abc', 'abc Locks', 'a b.c d', 'abc Locks.Case\r\nX: y', ['a B.c']])
      assert.equal(parseCheckTag(bad), undefined, JSON.stringify(bad));
  });
});
