// The ProofKeys group against our own host the way a proof-checking host runs: the simulator client
// profile with proof mode enforce, so the host trusts the simulator's discovery and the runner signs
// with the simulator's keys. First with one key (the old-key cases skip, saying why), then, after a
// key rotation and a discovery refresh, every group signed as `check --sign` sends it (every case
// passes; suite.test.ts runs the same against a real `serve`). Then against two deliberately wrong hosts,
// to prove the cases can fail: one that accepts any proof (report mode), and one that checks
// X-WOPI-Proof with its current key only (PITFALLS #6): each fails exactly the cases of its mistake.
import assert from 'node:assert/strict';
import { constants, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CheckCaseResult, CheckRunView } from '../../../server/contracts/api';
import type { ProofSigner, WopiTarget } from '../../../server/conformance/client';
import { proofKeysGroup } from '../../../server/conformance/cases/proof-keys';
import { runCheck } from '../../../server/conformance/runner';
import { createProofSigner } from '../../../server/conformance/signer';
import { validatorDocuments } from '../../../server/conformance/expect';
import { buildExpectedProof } from '../../../server/proof/expected-proof';
import { ticksToMs } from '../../../server/proof/ticks';
import { openSimulatorKeys } from '../../../server/simulator/keys';
import { startWiredEngine } from '../../helpers/engine-fixture';
import type { WiredBench } from '../../helpers/engine-fixture';

const FILE = 'proof.wopitest';
const TIMEOUT = { timeout: 60_000 };

// The verdicts the case titles name: a host must accept these...
const ACCEPTED = [
  'ProofKeyCurrentValid',
  'ProofKeyCurrentValidOldGarbage',
  'ProofKeyWacAheadOfHost',
  'ProofKeyWacBehindHost',
  'ProofOldKeyProofOldCurrentKey',
];
// ...and answer 500 to these.
const REJECTED = [
  'ProofKeyCurrentOldGarbage',
  'WopiTimestampOlderThan20Min',
  'ProofKeyCurrentGarbageValidOldFromOldKey',
  'TimestampJustOver20Minutes',
  'SignedForAnotherUrl',
  'SignedForAnotherToken',
  'GetFileWithGarbageProof',
  'LockWithGarbageProof',
];
// The accepted pairings that only a host following the three combinations of §8.3 accepts.
const ROTATION = ['ProofKeyWacAheadOfHost', 'ProofKeyWacBehindHost', 'ProofOldKeyProofOldCurrentKey'];
const NEEDS_OLD_KEY = [
  'ProofKeyWacBehindHost',
  'ProofKeyCurrentGarbageValidOldFromOldKey',
  'ProofOldKeyProofOldCurrentKey',
];

interface ProofHost {
  bench: WiredBench;
  /** A fresh token for the file. */
  target(): WopiTarget;
  /** The simulator's keys as its key file holds them now. */
  simulatorSigner(): Promise<ProofSigner>;
  run(signer: ProofSigner): Promise<CheckRunView>;
  /** The simulated client rotates its key and the host refreshes discovery (as after Office rotates). */
  rotate(): Promise<void>;
}

async function startProofHost(proofMode: 'enforce' | 'report' | 'off'): Promise<ProofHost> {
  const bench = await startWiredEngine({
    prefix: 'wb-check-proof-',
    files: { [FILE]: validatorDocuments.wordBlank },
    engine: { proofMode },
  });
  const target = (): WopiTarget => {
    const grant = bench.wb.mintTokenForId(bench.ids[FILE]!, 'proof-checker');
    return { wopiSrc: grant.wopiSrc, accessToken: grant.accessToken };
  };
  return {
    bench,
    target,
    async simulatorSigner() {
      const keys = await openSimulatorKeys(path.join(bench.root, 'data'), Date.now);
      return createProofSigner({ current: keys.current().privateKey, old: keys.old()?.privateKey ?? null });
    },
    run: (signer) =>
      runCheck({
        target: target(),
        ownHost: true,
        signer,
        groupsTable: [proofKeysGroup],
        groups: ['ProofKeys'],
      }),
    async rotate() {
      await bench.rooms.hostPage.simulator.rotateKey();
      const state = await bench.rooms.discovery.refresh();
      assert.equal(state.status, 'ok', `discovery refresh after the rotation: ${state.error ?? ''}`);
      assert.ok(state.proofKey?.oldFingerprint, 'discovery lists the retired key as old');
    },
  };
}

/**
 * A wrong proof check in front of our host: X-WOPI-Proof verified with the simulator's current key
 * only (ProofOld and the old key ignored), the timestamp within 20 minutes; anything else is 500.
 */
async function startCurrentKeyOnlyGate(
  host: ProofHost,
): Promise<{ target(): WopiTarget; close(): Promise<void> }> {
  const keys = await openSimulatorKeys(path.join(host.bench.root, 'data'), Date.now);
  const upstream = new URL(host.target().wopiSrc).origin;
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = `${origin}${req.url ?? '/'}`;
    const token = /[?&]access_token=([^&]*)/.exec(req.url ?? '')?.[1] ?? '';
    const stamp = String(req.headers['x-wopi-timestamp'] ?? '');
    const proof = String(req.headers['x-wopi-proof'] ?? '');
    const fresh = /^\d+$/.test(stamp) && Date.now() - ticksToMs(BigInt(stamp)) <= 20 * 60_000;
    const ok =
      fresh &&
      verify(
        'sha256',
        buildExpectedProof({ accessToken: token, url, timestampTicks: BigInt(stamp) }),
        { key: keys.current().publicKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.from(proof, 'base64'),
      );
    if (!ok) {
      res.writeHead(500, { 'content-length': '0' }).end();
      return;
    }
    const forward = http.request(
      `${upstream}${req.url ?? '/'}`,
      { method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    target() {
      const t = host.target();
      return { ...t, wopiSrc: `${origin}${new URL(t.wopiSrc).pathname}` };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function casesOf(run: CheckRunView): Map<string, CheckCaseResult> {
  const group = run.groups.find((g) => g.id === 'ProofKeys');
  assert.ok(group, `no ProofKeys group in the run: ${JSON.stringify(run.groups.map((g) => g.id))}`);
  assert.equal(group.status, 'ran', group.skippedBecause);
  return new Map(group.cases.map((c) => [c.name, c]));
}

const describeCase = (c: CheckCaseResult | undefined): string =>
  c ? `${c.status}: expected ${c.expected ?? '-'}; got ${c.actual ?? '-'} ${c.reason ?? ''}` : 'not run';

const failing = (run: CheckRunView): string[] =>
  [...casesOf(run).values()]
    .filter((c) => c.status === 'fail')
    .map((c) => c.name)
    .sort();

void describe('ProofKeys against our host (simulator profile, proof mode enforce)', () => {
  let host: ProofHost;
  let oneKey: Map<string, CheckCaseResult>;
  let signedAll: CheckRunView;

  before(async () => {
    host = await startProofHost('enforce');
    const signer = await host.simulatorSigner();
    assert.equal(signer.hasOldKey, false, 'a fresh simulator has no old key yet');
    oneKey = casesOf(await host.run(signer));
    await host.rotate();
    const after = await host.simulatorSigner();
    assert.equal(after.hasOldKey, true, 'after the rotation the simulator signs with an old key too');
    // What `check --sign` does: every group, every request signed.
    signedAll = await runCheck({ target: host.target(), ownHost: true, signer: after });
  });
  after(() => host?.bench.dispose());

  void it('every case of the group has its verdict listed here', TIMEOUT, () => {
    assert.deepEqual(proofKeysGroup.cases.map((c) => c.name).sort(), [...ACCEPTED, ...REJECTED].sort());
    for (const c of proofKeysGroup.cases) {
      const verdict = ACCEPTED.includes(c.name) ? '→ 200' : '→ 500';
      assert.ok(c.title.includes(verdict), `${c.name}: the title names the verdict (${verdict}): ${c.title}`);
    }
  });

  void it('with --sign every group runs signed, and every case that runs passes', TIMEOUT, () => {
    const bad = [...signedAll.groups.flatMap((g) => g.cases)]
      .filter((c) => c.status === 'fail' || c.status === 'error')
      .map((c) => `${c.id}: ${describeCase(c)}`);
    assert.deepEqual(bad, []);
    assert.ok(signedAll.totals.pass > proofKeysGroup.cases.length, JSON.stringify(signedAll.totals));
    // With an old key in discovery no proof-key case has a reason to skip.
    const notPassed = [...casesOf(signedAll).values()].filter((c) => c.status !== 'pass').map((c) => c.name);
    assert.deepEqual(notPassed, []);
  });

  for (const c of proofKeysGroup.cases) {
    void it(
      `${c.name} with one key: ${NEEDS_OLD_KEY.includes(c.name) ? 'skipped, saying why' : 'passes'}`,
      TIMEOUT,
      () => {
        const r = oneKey.get(c.name);
        if (NEEDS_OLD_KEY.includes(c.name)) {
          assert.equal(r?.status, 'skip', describeCase(r));
          assert.match(r?.reason ?? '', /old proof key/);
        } else assert.equal(r?.status, 'pass', describeCase(r));
      },
    );
  }
});

void describe('ProofKeys against deliberately wrong hosts', () => {
  void it(
    'a host that accepts any proof (report mode) fails exactly the cases that expect 500',
    TIMEOUT,
    async () => {
      const host = await startProofHost('report');
      try {
        await host.rotate();
        const run = await host.run(await host.simulatorSigner());
        assert.deepEqual(failing(run), [...REJECTED].sort());
        for (const name of REJECTED) assert.match(casesOf(run).get(name)?.actual ?? '', /^200/, name);
      } finally {
        await host.bench.dispose();
      }
    },
  );

  void it(
    'a host that checks X-WOPI-Proof with its current key only fails exactly the key-rotation cases',
    TIMEOUT,
    async () => {
      // PITFALLS #6: such a host works until Office rotates its keys. It is our host with proof checks
      // off behind a gate that verifies the proof the narrow way (and the 20 minutes), else answers 500.
      const host = await startProofHost('off');
      try {
        await host.rotate();
        // The gate reads the keys as they are after the rotation: it knows the new current key only.
        const gate = await startCurrentKeyOnlyGate(host);
        try {
          const run = await runCheck({
            target: gate.target(),
            ownHost: true,
            signer: await host.simulatorSigner(),
            groupsTable: [proofKeysGroup],
            groups: ['ProofKeys'],
          });
          assert.equal(run.state, 'done', run.error);
          assert.deepEqual(failing(run), [...ROTATION].sort());
          for (const name of ROTATION) assert.match(casesOf(run).get(name)?.actual ?? '', /^500/, name);
        } finally {
          await gate.close();
        }
      } finally {
        await host.bench.dispose();
      }
    },
  );
});
