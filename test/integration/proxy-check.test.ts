// The acceptance pairing: the whole conformance suite sent through `serve --upstream` to a host
// written apart from ours (test/helpers/mini-host.ts). Correct, it passes every case it passes
// directly and the linter finds nothing in the proxied traffic (conflict probes, 256- and 1024-char
// lock ids, renames, saves, Save As, deletes, bad tokens); with one classic mistake, the linter
// flags exactly that mistake's rules, on exchanges of the cases about it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../../server/conformance/runner';
import type { CheckRunView, RequestRecord } from '../../server/contracts/api';
import { makeRoot, startEngine } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import { startMiniHost } from '../helpers/mini-host';
import type { MiniHost, Mistake } from '../helpers/mini-host';

const NAME = 'proxied.wopitest';
const TEST = { timeout: 180_000 };

/** Per mistake, the rules the linter must find in the proxied traffic, and no other. */
const RULES: Record<Mistake, string[]> = {
  'conflict-without-lock-header': ['lock-conflict-missing-header'],
  'conflict-as-400': ['lock-conflict-wrong-status'],
  'lock-id-case-insensitive': ['lock-conflict-wrong-status'],
  'version-unchanged-on-put': ['version-unchanged-after-putfile'],
  // The cases stop at the first wrong answer: a CheckFileInfo of an id the traffic never saw answered.
  'unknown-file-500': ['unknown-file-server-error'],
  'unknown-override-200': ['unknown-override-accepted'],
  'ignores-max-expected-size': ['max-expected-size-ignored'],
  'put-relative-without-url': ['put-relative-missing-name-url'],
  'file-info-missing-owner': ['checkfileinfo-property-type', 'checkfileinfo-required-property'],
  // No rule can see this one on the wire: only a conformance case can (TokenScope).
  'token-any-file': [],
};

describe('the conformance suite through serve --upstream', () => {
  let host: MiniHost;
  let proxy: EngineBench;
  let records: RequestRecord[] = [];

  before(async () => {
    host = await startMiniHost({ files: { [NAME]: Buffer.from('PK\u0003\u0004 bytes\n') } });
    proxy = await startEngine(await makeRoot('wb-proxy-check-'), { upstream: host.url });
    proxy.engine.bus.on('request:completed', (e) => records.push(e.data));
  });
  after(async () => {
    await proxy?.dispose();
    await host?.close();
  });

  async function run(): Promise<{ result: CheckRunView; rules: string[]; byCase: Map<string, string[]> }> {
    records = [];
    const id = host.wopiSrc(NAME).split('/').pop()!;
    const result = await runCheck({
      target: { wopiSrc: `${proxy.engine.wopiUrl()}/wopi/files/${id}`, accessToken: host.token(NAME) },
      ownHost: false,
      record: () => undefined,
    });
    assert.equal(result.state, 'done', result.error);
    // Records arrive after their responses closed: wait until the last case's are in.
    await new Promise((r) => setTimeout(r, 200));
    const byCase = new Map<string, string[]>();
    for (const r of records) {
      for (const f of r.findings ?? []) {
        const key = r.requestHeaders['x-workbench-check'] ?? `${r.operation} ${r.status}`;
        byCase.set(key, [...(byCase.get(key) ?? []), f.rule]);
      }
    }
    const rules = [...new Set(records.flatMap((r) => (r.findings ?? []).map((f) => f.rule)))].sort();
    return { result, rules, byCase };
  }

  it(
    'a correct host: every case passes and the linter finds nothing in the proxied traffic',
    TEST,
    async () => {
      host.mistakes.clear();
      const { result, rules, byCase } = await run();
      const failed = result.groups
        .flatMap((g) => g.cases)
        .filter((c) => c.status === 'fail' || c.status === 'error');
      assert.deepEqual(
        failed.map((c) => `${c.id}: expected ${c.expected}; got ${c.actual}`),
        [],
      );
      assert.ok(records.length > 100, `proxied exchanges: ${records.length}`);
      assert.ok(records.every((r) => r.source === 'proxy'));
      assert.deepEqual(rules, [], JSON.stringify([...byCase]));
    },
  );

  for (const [mistake, expected] of Object.entries(RULES) as Array<[Mistake, string[]]>) {
    it(
      `${mistake}: the linter flags ${expected.join(', ') || 'nothing'}, and nothing else`,
      TEST,
      async () => {
        host.mistakes.clear();
        host.mistakes.add(mistake);
        try {
          const { rules, byCase } = await run();
          assert.deepEqual(rules, [...expected].sort(), JSON.stringify([...byCase]));
        } finally {
          host.mistakes.clear();
        }
      },
    );
  }

  it('our own host behind the proxy: every case passes, and neither side earns a finding', TEST, async () => {
    const own = await startEngine(await makeRoot('wb-proxy-check-own-'));
    const front = await startEngine(await makeRoot('wb-proxy-check-front-'), {
      upstream: own.engine.wopiUrl(),
    });
    const seen: RequestRecord[] = [];
    own.engine.bus.on('request:completed', (e) => seen.push(e.data));
    front.engine.bus.on('request:completed', (e) => seen.push(e.data));
    try {
      const f = await own.file('own.wopitest', 'PK\u0003\u0004 ours\n');
      const result = await runCheck({
        target: { wopiSrc: `${front.engine.wopiUrl()}/wopi/files/${f.id}`, accessToken: f.accessToken },
        ownHost: false,
        record: () => undefined,
      });
      assert.equal(result.state, 'done', result.error);
      const failed = result.groups
        .flatMap((g) => g.cases)
        .filter((c) => c.status === 'fail' || c.status === 'error');
      assert.deepEqual(
        failed.map((c) => `${c.id}: expected ${c.expected}; got ${c.actual}`),
        [],
      );
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(seen.some((r) => r.source === 'proxy') && seen.some((r) => r.source !== 'proxy'));
      const found = seen.flatMap((r) =>
        (r.findings ?? []).map((x) => `${r.source ?? 'host'} ${r.operation} ${r.status}: ${x.rule}`),
      );
      assert.deepEqual(found, []);
    } finally {
      await front.dispose();
      await own.dispose();
    }
  });
});
