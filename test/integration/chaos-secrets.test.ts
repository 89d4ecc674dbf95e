// Chaos: the end-to-end secrets scan on a human-mode `serve` (the JSON-mode run is scanned at the end of
// chaos-fuzz). After fuzzed WOPI traffic, a host-page launch and forwarded PostMessages, every output —
// console, request log pages and records without reveal, SSE, PostMessage history, status, settings,
// the other GET routes and the data dir's files (the SQLite db and runtime.json aside) — is searched
// for every access token minted (and its signature), launch link, host-page session, proof value sent,
// the HMAC secrets and the control token (allowed only in the ready announcement). The focused
// redaction tests live with the redaction code; this proves the whole product.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RequestPage } from '../../server/contracts';
import type { Violation } from '../helpers/fuzz/checks';
import { consoleChecks } from '../helpers/fuzz/final-checks';
import { parseSeed } from '../helpers/fuzz/rng';
import { formatViolations, runFuzz } from '../helpers/fuzz/run-fuzz';
import {
  collectOutputs,
  consoleProbeTraffic,
  hostPageTraffic,
  needles,
  scanForSecrets,
} from '../helpers/fuzz/secrets';
import type { Needle, Output } from '../helpers/fuzz/secrets';
import { fuzzOptions, startFuzzSession } from '../helpers/fuzz/session';
import type { FuzzSession } from '../helpers/fuzz/session';

const SEED = parseSeed(process.env['FUZZ_SEED'] ?? '777');
const REQUESTS = Number(process.env['SECRETS_FUZZ_REQUESTS'] ?? 300);

describe(`chaos: no secret in any output of a human-mode serve (seed ${SEED})`, { timeout: 240_000 }, () => {
  let session: FuzzSession | undefined;
  let outputs: Output[] = [];
  let secrets: Needle[] = [];
  let leaks: Violation[] = [];

  before(async () => {
    session = await startFuzzSession({ seed: SEED, json: false, contentFiles: 3 });
    const { target, world, ledger } = session;
    await runFuzz(target, world, ledger, fuzzOptions(REQUESTS, { longStalls: 0 }));
    await hostPageTraffic(target, world, world.content[0]!.id);
    await consoleProbeTraffic(target, world);
    secrets = needles(target, world);
    outputs = await collectOutputs(target, session.events.text());
    leaks = scanForSecrets(outputs, secrets);
  });

  after(async () => {
    await session?.dispose();
  });

  it('looks for real secrets: the scan finds the access tokens in records revealed on purpose', async () => {
    const page = JSON.parse(
      (await session!.target.control('GET', '/v1/requests?limit=50&operation=CheckFileInfo')).text,
    ) as RequestPage;
    const revealed: Output[] = await Promise.all(
      page.items.map(async (r) => ({
        where: `GET /v1/requests/${r.id}?reveal=1`,
        text: (await session!.target.control('GET', `/v1/requests/${r.id}?reveal=1`)).text,
      })),
    );
    const hits = scanForSecrets(revealed, secrets).filter((v) =>
      /^access token, field (\S+ > )?query:/.test(v.message),
    );
    assert.ok(
      hits.length > 0,
      'the scan finds no access token in the query of records revealed on purpose: it would be looking for the wrong strings',
    );
  });

  it('shows no access token, launch link, session, proof, HMAC secret or control token in any output', (t) => {
    t.diagnostic(`${secrets.length} secrets looked for in ${outputs.length} outputs`);
    assert.deepEqual(
      leaks.map((v) => v.message),
      [],
      formatViolations(leaks, SEED),
    );
  });

  it('prints no terminal control characters on its human console', () => {
    const found = consoleChecks(session!.target).filter((v) => v.kind === 'stdout');
    assert.deepEqual(
      found.map((v) => v.message),
      [],
      formatViolations(found, SEED),
    );
  });
});
