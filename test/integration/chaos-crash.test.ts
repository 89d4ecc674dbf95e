// Chaos: a kill -9 crash loop. `serve` is killed while a large PutFile (or a PutRelativeFile) is
// streaming, at a seeded point, with other requests in flight, then restarted on the same folder and
// data dir — over and over on the same state. Each time the file holds its old or new bytes (new if
// the client saw 200), replaced bytes are kept, no temp file survives, locks and tokens survive, and
// the host reports what is on disk. engine-crash.test.ts covers fixed kill points on three big files;
// this loop adds repetition, seeded points, locks, concurrent load and PutRelativeFile.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CRASH_LOCK, crashRound, KILL_POINTS, prepareCrashFiles } from '../helpers/fuzz/crash-loop';
import type { CrashFiles } from '../helpers/fuzz/crash-loop';
import { taggedBody } from '../helpers/fuzz/inputs';
import { createRng, parseSeed } from '../helpers/fuzz/rng';
import { formatViolations } from '../helpers/fuzz/run-fuzz';
import { startServeTarget } from '../helpers/fuzz/target';
import type { ServeTarget } from '../helpers/fuzz/target';

const SEED = parseSeed(process.env['FUZZ_SEED'] ?? '1337');
const ITERATIONS = Number(process.env['CRASH_ITERATIONS'] ?? 3);
const SIZE = 6 * 1024 * 1024;
const BOUND_MS = 30_000;

describe(`chaos: kill -9 during uploads, ${ITERATIONS} times (seed ${SEED})`, { timeout: 300_000 }, () => {
  const rng = createRng(SEED);
  let target: ServeTarget | undefined;
  let files: CrashFiles;

  before(async () => {
    target = await startServeTarget({
      files: { 'crash/big.bin': taggedBody(rng, 'crash initial', SIZE), 'crash/small.docx': 'small' },
      json: true,
      args: ['--quiet', '--proof', 'off', '--version-retention', '1000'],
      prefix: 'wb-chaos-crash-',
    });
    files = await prepareCrashFiles(target, 'crash/big.bin', 'crash/small.docx', BOUND_MS);
  });

  after(async () => {
    await target?.dispose();
  });

  for (let i = 0; i < ITERATIONS; i++) {
    // The first rounds walk the kill points in order, so even a short run covers the important ones.
    const point = i < KILL_POINTS.length ? KILL_POINTS[i]! : rng.pick(KILL_POINTS);
    it(`round ${i}: killed ${point}, the file is whole, the lock ${CRASH_LOCK} and the tokens survive`, async (t) => {
      const r = await crashRound(target!, files, rng.fork(`round ${i}`), i, point, SIZE, BOUND_MS);
      t.diagnostic(r.note);
      assert.deepEqual(
        r.violations.map((x) => x.tag),
        [],
        formatViolations(r.violations, SEED),
      );
    });
  }
});
