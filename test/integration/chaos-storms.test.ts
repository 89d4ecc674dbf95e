// Chaos: storms of concurrent requests on one file against a real `serve` process. Renames race each
// other (and readers); lock operations race each other and must be linearizable against a sequential
// WOPI lock table; saves race CheckFileInfo/GetFile and Version must move once per save; a stalled
// upload must not hold up the file's other writers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatViolations } from '../helpers/fuzz/run-fuzz';
import { createRng, parseSeed } from '../helpers/fuzz/rng';
import type { StormContext, StormViolation } from '../helpers/fuzz/storm-common';
import { lockStorm } from '../helpers/fuzz/storm-locks';
import { readRaceStorm, renameStorm } from '../helpers/fuzz/storm-renames';
import { overwriteRaceProbe, stalledUploadProbe } from '../helpers/fuzz/storm-held';
import { versionStorm } from '../helpers/fuzz/storm-versions';
import { startServeTarget } from '../helpers/fuzz/target';
import type { ServeTarget } from '../helpers/fuzz/target';
import { mint } from '../helpers/fuzz/world';
import { findingsInLog } from '../helpers/lint-findings';

const SEED = parseSeed(process.env['FUZZ_SEED'] ?? '4242');
const BOUND_MS = 10_000;

describe(`chaos: storms on one file against serve (seed ${SEED})`, { timeout: 300_000 }, () => {
  let target: ServeTarget | undefined;
  let ctx: StormContext;

  before(async () => {
    // In a sub-folder: paths there take the host's slower, symlink-checked stat path.
    target = await startServeTarget({ files: { 'sub/seed.docx': 'storm seed' }, prefix: 'wb-chaos-storm-' });
    const files = JSON.parse((await target.control('GET', '/v1/files')).text) as Array<{ id: string }>;
    const grant = await mint(target, files[0]!.id);
    ctx = {
      target,
      seed: { id: files[0]!.id, token: grant.accessToken },
      rng: createRng(SEED),
      bound: BOUND_MS,
    };
  });

  after(async () => {
    await target?.dispose();
  });

  /** Fails on any finding. */
  const judge = (vs: StormViolation[]): void => {
    assert.deepEqual(
      vs.map((x) => x.tag),
      [],
      formatViolations(vs, SEED),
    );
  };

  it('rename storms: 4–16 concurrent renames each answer 200/404/409 and leave the file once, under an answered name', async () => {
    const vs: StormViolation[] = [];
    const sizes = [4, 8, 16, 6, 12];
    for (let round = 0; round < sizes.length; round++)
      vs.push(...(await renameStorm(ctx, round, sizes[round]!, round % 2 === 1)));
    judge(vs);
  });

  it('reads racing a rename or a delete of the same file answer 200 (or 404 once deleted), never 5xx', async () => {
    judge(await readRaceStorm(ctx, 8));
  });

  it('lock storms: concurrent Lock/Unlock/RefreshLock/UnlockAndRelock/GetLock/PutFile are linearizable', async (t) => {
    const r = await lockStorm(ctx, { clients: 6, opsPerClient: 6, rounds: 6 });
    t.diagnostic(`${r.operations} lock operations checked`);
    assert.ok(r.operations >= 100, `only ${r.operations} operations were checked`);
    judge(r.violations);
  });

  it('version storm: Version moves forward, once per successful PutFile, under concurrent CheckFileInfo and GetFile', async () => {
    judge(await versionStorm(ctx, { writers: 2, savesPerWriter: 15, readers: 4 }));
  });

  it('a stalled PutFile body does not hold up the file’s other writers', async () => {
    judge(await stalledUploadProbe(ctx));
  });

  it('a PutRelativeFile overwriting a target renamed or deleted during its upload answers 200/409 and leaves no temp file', async () => {
    judge(await overwriteRaceProbe(ctx, 4));
  });

  // Last: it reads the whole log the storms above wrote (concurrent lock conflicts, saves racing reads).
  it('gives the protocol linter nothing to report on any answer of the storms', async () => {
    const found = await findingsInLog((m, r) => target!.control(m, r));
    assert.deepEqual(found.slice(0, 20), [], `${found.length} findings on our own host`);
  });
});
