// Fault rules as data: firing (next N spends exactly N; a seeded probability fires on the same requests
// in two fresh engines with the same seed and on others with another seed), persistence across a
// restart of the data dir (rules and counts), export → import round trips, warnings, and bad input
// refused with 400 naming the field. Real engines on port 0, real SQLite, real folders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FaultRuleInput, FaultRuleView, FaultRulesFile } from '../../server/contracts/lab';
import { draw } from '../../server/faults';
import { controlApiForSuite, errorCode, itSentNoCorsHeaders, json } from '../helpers/control-api';
import { makeRoot, nextEvent, startEngine, withEngine } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import { checkFileInfo, expectStatus, lock } from '../helpers/wopi-client';

const CFI_503: FaultRuleInput = {
  match: { operations: ['CheckFileInfo'] },
  effect: { kind: 'status', status: 503 },
};

/** n CheckFileInfo calls on `rel`: true for each one a rule answered (503). */
async function pattern(bench: EngineBench, rel: string, n: number): Promise<boolean[]> {
  const t = bench.target(await bench.idOf(rel));
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const res = await checkFileInfo(t);
    assert.ok(res.status === 200 || res.status === 503, res.describe());
    out.push(res.status === 503);
  }
  return out;
}

void describe('firing', () => {
  void it('next N spends exactly N, then the rule stays listed as spent', async () => {
    await withEngine({}, async (bench) => {
      await bench.file('a.docx', 'a');
      const rule = await bench.engine.api.addFault({ ...CFI_503, fire: { mode: 'next', count: 3 } });
      assert.equal(rule.remaining, 3);
      assert.deepEqual(await pattern(bench, 'a.docx', 6), [true, true, true, false, false, false]);
      const [after] = await bench.engine.api.faults();
      assert.equal(after!.hits, 3);
      assert.equal(after!.remaining, 0);
      assert.equal(after!.matched, 3, 'a spent rule no longer counts');
    });
  });

  void it('a seeded probability repeats exactly in a fresh engine, and differs with another seed', async () => {
    const run = (seed: number): Promise<boolean[]> =>
      withEngine({}, async (bench) => {
        await bench.file('a.docx', 'a');
        await bench.engine.api.addFault({
          ...CFI_503,
          fire: { mode: 'probability', probability: 0.5, seed },
        });
        return pattern(bench, 'a.docx', 24);
      });
    const first = await run(42);
    const second = await run(42);
    const other = await run(7);
    assert.deepEqual(second, first, 'same seed, same requests');
    assert.notDeepEqual(other, first, 'another seed, other requests');
    // The n-th decision is the pure draw for (seed, n).
    assert.deepEqual(
      first,
      first.map((_, i) => draw(42, i + 1) < 0.5),
    );
    assert.ok(
      first.some((x) => x) && first.some((x) => !x),
      'a 0.5 rule both fires and passes over 24 calls',
    );
  });

  void it('oldest rule first; the first that fires wins and later rules do not count the request', async () => {
    await withEngine({}, async (bench) => {
      await bench.file('a.docx', 'a');
      const first = await bench.engine.api.addFault({ ...CFI_503, fire: { mode: 'next', count: 1 } });
      const second = await bench.engine.api.addFault({
        match: { operations: ['CheckFileInfo'] },
        effect: { kind: 'status', status: 404 },
        fire: { mode: 'every' },
      });
      const t = bench.target(await bench.idOf('a.docx'));
      expectStatus(await checkFileInfo(t), 503);
      expectStatus(await checkFileInfo(t), 404);
      const rules = await bench.engine.api.faults();
      assert.deepEqual(
        rules.map((r) => [r.id, r.matched, r.hits]),
        [
          [first.id, 1, 1],
          [second.id, 1, 1],
        ],
      );
    });
  });
});

void describe('persistence', () => {
  void it('rules and their counts survive a restart of the data dir', async () => {
    const root = await makeRoot('wb-faults-restart-', { 'a.docx': 'a' });
    let bench = await startEngine(root);
    try {
      const rule = await bench.engine.api.addFault({
        ...CFI_503,
        fire: { mode: 'next', count: 4 },
        name: 'four',
      });
      assert.deepEqual(await pattern(bench, 'a.docx', 2), [true, true]);
      await bench.stop();
      bench = await startEngine(root);
      const [again] = await bench.engine.api.faults();
      assert.equal(again!.id, rule.id);
      assert.equal(again!.name, 'four');
      assert.equal(again!.hits, 2);
      assert.equal(again!.remaining, 2);
      // It goes on from where it was: two more, then spent.
      assert.deepEqual(await pattern(bench, 'a.docx', 3), [true, true, false]);
    } finally {
      await bench.dispose();
    }
  });
});

const api = controlApiForSuite({ 'a.docx': 'a', 'b.docx': 'b' });

void describe('rules through the control API', () => {
  void it('defaults the operations of body and CheckFileInfo effects, and announces changes', async () => {
    const changed = nextEvent(api.wb, 'faults:changed', (rules) => rules.length === 1);
    const res = await api.call('POST', '/v1/faults', {
      body: { effect: { kind: 'throttle', bytesPerSecond: 1000 } },
    });
    expectStatus(res, 201);
    assert.deepEqual(json<FaultRuleView>(res).match.operations, ['GetFile', 'PutFile']);
    assert.equal((await changed).data[0]!.id, json<FaultRuleView>(res).id);
    const info = json<FaultRuleView>(
      await api.call('POST', '/v1/faults', {
        body: { effect: { kind: 'file-info', set: { UserCanWrite: false } } },
      }),
    );
    assert.deepEqual(info.match.operations, ['CheckFileInfo']);
    assert.equal(info.enabled, true);
    assert.deepEqual(info.fire, { mode: 'every' });
    assert.ok(info.name.includes('UserCanWrite'), info.name);
    expectStatus(await api.call('DELETE', '/v1/faults'), 200);
  });

  void it('refuses bad input with 400 naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /effect is required/],
      [{ effect: { kind: 'status', status: 418 } }, /effect\.status must be one of/],
      [{ effect: { kind: 'explode' } }, /effect\.kind must be one of/],
      [
        { fire: { mode: 'next', count: 0 }, effect: { kind: 'drop-connection' } },
        /fire\.count must be a whole number from 1/,
      ],
      [
        { fire: { mode: 'probability', probability: 1.5 }, effect: { kind: 'drop-connection' } },
        /fire\.probability/,
      ],
      [{ fire: { mode: 'sometimes' }, effect: { kind: 'drop-connection' } }, /fire\.mode/],
      [
        { match: { operations: ['Frobnicate'] }, effect: { kind: 'drop-connection' } },
        /match\.operations\[0\]/,
      ],
      [
        { match: { operations: ['Lock'] }, effect: { kind: 'throttle', bytesPerSecond: 10 } },
        /match\.operations cannot include Lock/,
      ],
      [
        { match: { operations: ['Lock'] }, effect: { kind: 'abort-body', afterBytes: 1 } },
        /match\.operations/,
      ],
      [
        { match: { operations: ['GetFile'] }, effect: { kind: 'file-info', set: { ReadOnly: true } } },
        /match\.operations cannot include GetFile/,
      ],
      [{ effect: { kind: 'abort-body' } }, /effect\.afterBytes is required/],
      [{ effect: { kind: 'status', status: 503, lock: 'x' } }, /effect\.lock is sent only with status 409/],
      [{ effect: { kind: 'latency', ms: -1 } }, /effect\.ms/],
      [{ effect: { kind: 'file-info', set: {} } }, /effect\.set/],
      [{ effect: { kind: 'drop-connection' }, math: {} }, /math is not a field/],
      [{ preset: 'token-expired', effect2: 1 }, /effect2 is not a field/],
    ];
    for (const [body, message] of cases) {
      const res = await api.call('POST', '/v1/faults', { body });
      expectStatus(res, 400, JSON.stringify(body));
      assert.equal(errorCode(res), 'bad-request');
      assert.match(json<{ error: { message: string } }>(res).error.message, message, JSON.stringify(body));
    }
    assert.deepEqual(json<FaultRuleView[]>(await api.call('GET', '/v1/faults')), [], 'nothing was added');
    const importBad = await api.call('POST', '/v1/faults/import', {
      body: {
        format: 'wopi-workbench-faults',
        version: 1,
        rules: [
          { effect: { kind: 'drop-connection' } },
          { fire: { mode: 'next', count: 0 }, effect: { kind: 'drop-connection' } },
        ],
      },
    });
    expectStatus(importBad, 400);
    assert.match(importBad.text, /rules\[1\]\.fire\.count/);
    assert.deepEqual(
      json<FaultRuleView[]>(await api.call('GET', '/v1/faults')),
      [],
      'a bad file adds nothing',
    );
    expectStatus(await api.call('PATCH', '/v1/faults/fr-nope', { body: { enabled: false } }), 404);
    expectStatus(await api.call('DELETE', '/v1/faults/fr-nope'), 404);
  });

  void it('edits a rule: disable, rename, and a new firing resets its counts', async () => {
    const a = await api.fileByPath('a.docx');
    const t = await api.wopiTarget(a.id);
    const rule = json<FaultRuleView>(await api.call('POST', '/v1/faults', { body: CFI_503 }));
    expectStatus(await checkFileInfo(t), 503);
    const off = json<FaultRuleView>(
      await api.call('PATCH', `/v1/faults/${rule.id}`, { body: { enabled: false, name: 'off' } }),
    );
    assert.equal(off.enabled, false);
    assert.equal(off.name, 'off');
    assert.equal(off.hits, 1);
    expectStatus(await checkFileInfo(t), 200);
    const again = json<FaultRuleView>(
      await api.call('PATCH', `/v1/faults/${rule.id}`, {
        body: { enabled: true, fire: { mode: 'next', count: 1 } },
      }),
    );
    assert.equal(again.hits, 0);
    assert.equal(again.remaining, 1);
    expectStatus(await checkFileInfo(t), 503);
    expectStatus(await checkFileInfo(t), 200);
    const removed = json<FaultRuleView>(await api.call('DELETE', `/v1/faults/${rule.id}`));
    assert.equal(removed.id, rule.id);
    assert.deepEqual(json<FaultRuleView[]>(await api.call('GET', '/v1/faults')), []);
  });

  void it('warns where a rule contradicts itself or the protocol', async () => {
    const a = await api.fileByPath('a.docx');
    const t = await api.wopiTarget(a.id);
    expectStatus(await lock(t, 'REAL-LOCK'), 200);
    const add = async (body: unknown): Promise<string[]> =>
      json<FaultRuleView>(await api.call('POST', '/v1/faults', { body })).warnings;
    assert.match(
      (await add({ effect: { kind: 'file-info', set: { ReadOnly: true, UserCanWrite: true } } })).join(' '),
      /ReadOnly true with UserCanWrite true/,
    );
    assert.match(
      (await add({ effect: { kind: 'file-info', set: { SupportsUpdate: false, UserCanWrite: true } } })).join(
        ' ',
      ),
      /SupportsUpdate false/,
    );
    assert.match((await add({ preset: 'locks-unsupported' })).join(' '), /SupportsLocks false/);
    assert.match(
      (
        await add({ match: { operations: ['GetFile'] }, effect: { kind: 'status', status: 409, lock: 'x' } })
      ).join(' '),
      /409 on GetFile/,
    );
    assert.match(
      (await add({ match: { operations: ['Lock'] }, effect: { kind: 'status', status: 412 } })).join(' '),
      /412 outside GetFile/,
    );
    assert.match(
      (
        await add({
          match: { operations: ['PutFile'], fileId: a.id },
          effect: { kind: 'status', status: 409, lock: 'REAL-LOCK' },
        })
      ).join(' '),
      /equal to the lock the file really holds/,
    );
    assert.deepEqual(await add({ preset: 'host-unavailable-on-save' }), [], 'a consistent rule has none');
    await api.call('DELETE', '/v1/faults');
    await api.call('DELETE', `/v1/locks/${a.id}`);
  });

  void it('export → import round-trips the rules; replace swaps them', async () => {
    const b = await api.fileByPath('b.docx');
    await api.call('POST', '/v1/faults', {
      body: { preset: 'read-only-user', match: { personaId: 'coauthor' } },
    });
    await api.call('POST', '/v1/faults', {
      body: {
        name: 'flaky saves',
        match: { operations: ['PutFile'], fileId: b.id },
        fire: { mode: 'probability', probability: 0.25, seed: 9 },
        effect: { kind: 'status', status: 500, serverError: 'disk on fire' },
        enabled: false,
      },
    });
    const exported = json<FaultRulesFile>(await api.call('GET', '/v1/faults/export'));
    assert.equal(exported.format, 'wopi-workbench-faults');
    assert.equal(exported.rules.length, 2);
    expectStatus(await api.call('DELETE', '/v1/faults'), 200);
    const imported = json<FaultRuleView[]>(await api.call('POST', '/v1/faults/import', { body: exported }));
    assert.equal(imported.length, 2);
    assert.deepEqual(json<FaultRulesFile>(await api.call('GET', '/v1/faults/export')), exported);
    // Added to the current rules, or instead of them.
    const twice = json<FaultRuleView[]>(await api.call('POST', '/v1/faults/import', { body: exported }));
    assert.equal(twice.length, 4);
    const replaced = json<FaultRuleView[]>(
      await api.call('POST', '/v1/faults/import', {
        body: { ...exported, rules: exported.rules.slice(0, 1), replace: true },
      }),
    );
    assert.deepEqual(
      replaced.map((r) => r.preset),
      ['read-only-user'],
    );
    await api.call('DELETE', '/v1/faults');
  });
});

itSentNoCorsHeaders(api, 30);
