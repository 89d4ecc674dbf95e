// `npm run fuzz`: the full-size chaos run against real `serve` processes (issue 9 acceptance):
//   npm run fuzz -- --requests 10000 --seed 12345
// Phases: a --json fuzz with its end-of-run checks and secrets scan; a human-mode fuzz with the secrets
// scan and console checks; rename / read-race / lock / version / stalled-upload storms; a kill -9 crash
// loop. Prints every violation with its seed and a reproduction. Exits 1 on any violation.
import { parseArgs } from 'node:util';
import type { Violation } from '../helpers/fuzz/checks';
import { crashRound, KILL_POINTS, prepareCrashFiles } from '../helpers/fuzz/crash-loop';
import { consoleChecks, finalChecks } from '../helpers/fuzz/final-checks';
import { taggedBody } from '../helpers/fuzz/inputs';
import { createRng, parseSeed } from '../helpers/fuzz/rng';
import { formatViolations, runFuzz } from '../helpers/fuzz/run-fuzz';
import {
  collectOutputs,
  consoleProbeTraffic,
  hostPageTraffic,
  needles,
  scanForSecrets,
} from '../helpers/fuzz/secrets';
import { fuzzOptions, startFuzzSession } from '../helpers/fuzz/session';
import { lockStorm } from '../helpers/fuzz/storm-locks';
import { readRaceStorm, renameStorm } from '../helpers/fuzz/storm-renames';
import { overwriteRaceProbe, stalledUploadProbe } from '../helpers/fuzz/storm-held';
import { versionStorm } from '../helpers/fuzz/storm-versions';
import { startServeTarget } from '../helpers/fuzz/target';
import { mint } from '../helpers/fuzz/world';

const { values: a } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    clients: { type: 'string', default: '8' },
    'answer-within': { type: 'string', default: '10' },
    stalls: { type: 'string' },
    'storm-rounds': { type: 'string', default: '10' },
    crash: { type: 'string', default: '10' },
    'crash-mb': { type: 'string', default: '16' },
    only: { type: 'string', default: 'fuzz,secrets,storms,crash' },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log(
    'npm run fuzz -- [--requests 10000] [--seed N] [--clients 8] [--answer-within 10 (s)] [--stalls N]\n' +
      '               [--storm-rounds 10] [--crash 10] [--crash-mb 16] [--only fuzz,secrets,storms,crash]',
  );
  process.exit(0);
}

/** Ends a phase early once its serve has died (the death is already recorded as a violation). */
class PhaseOver extends Error {}

const seed = parseSeed(a.seed);
const requests = Number(a.requests);
const bound = Number(a['answer-within']) * 1000;
const phases = new Set(a.only.split(','));
const log = (line: string): void => console.log(line);
const found: Array<{ phase: string; v: Violation }> = [];
const record = (phase: string, vs: Violation[]): void => {
  for (const v of vs) found.push({ phase, v });
};

log(`chaos run, seed ${seed} — replay with: npm run fuzz -- --seed ${seed} --requests ${requests}`);

if (phases.has('fuzz')) {
  log(`\n== fuzz: ${requests} requests, ${a.clients} clients, --json serve`);
  const s = await startFuzzSession({ seed, json: true });
  try {
    const opts = fuzzOptions(requests, {
      clients: Number(a.clients),
      answerWithinMs: bound,
      longStalls: a.stalls !== undefined ? Number(a.stalls) : Math.max(1, Math.round(requests / 2500)),
      longStallMs: bound + 2000,
      log,
    });
    const r = await runFuzz(s.target, s.world, s.ledger, opts);
    log(`  statuses ${JSON.stringify(r.statuses)} in ${(r.durationMs / 1000).toFixed(1)} s`);
    record('fuzz', [...r.violations, ...(await finalChecks(s.target, s.world, s.ledger, r.violations))]);
    if (!s.target.run.alive()) throw new PhaseOver(); // reported above, with serve's stderr
    await hostPageTraffic(s.target, s.world, s.world.content[0]!.id);
    const outputs = await collectOutputs(s.target, s.events.text());
    const secrets = needles(s.target, s.world);
    log(`  secrets scan: ${secrets.length} secrets in ${outputs.length} outputs`);
    record('fuzz secrets', scanForSecrets(outputs, secrets));
  } catch (e) {
    if (!(e instanceof PhaseOver)) throw e;
  } finally {
    await s.dispose();
  }
}

if (phases.has('secrets')) {
  const n = Math.max(300, Math.round(requests / 5));
  log(`\n== secrets: ${n} requests on a human-mode serve, host page, PostMessages, console probes`);
  const s = await startFuzzSession({ seed: seed + 1, json: false, contentFiles: 3 });
  try {
    const r = await runFuzz(
      s.target,
      s.world,
      s.ledger,
      fuzzOptions(n, { longStalls: 0, answerWithinMs: bound }),
    );
    record('secrets fuzz', r.violations);
    if (!s.target.run.alive()) throw new PhaseOver();
    await hostPageTraffic(s.target, s.world, s.world.content[0]!.id);
    await consoleProbeTraffic(s.target, s.world);
    const outputs = await collectOutputs(s.target, s.events.text());
    const secrets = needles(s.target, s.world);
    log(`  ${secrets.length} secrets in ${outputs.length} outputs`);
    record('secrets', [...scanForSecrets(outputs, secrets), ...consoleChecks(s.target, r.violations)]);
  } catch (e) {
    if (!(e instanceof PhaseOver)) throw e;
  } finally {
    await s.dispose();
  }
}

if (phases.has('storms')) {
  const rounds = Number(a['storm-rounds']);
  log(
    `\n== storms: ${rounds} rename storms (4–16 renames), read races, lock storms, version storm, stalled upload`,
  );
  const target = await startServeTarget({
    files: { 'sub/seed.docx': 'storm seed' },
    prefix: 'wb-chaos-storm-',
  });
  try {
    const files = JSON.parse((await target.control('GET', '/v1/files')).text) as Array<{ id: string }>;
    const grant = await mint(target, files[0]!.id);
    const rng = createRng(seed + 2);
    const ctx = { target, seed: { id: files[0]!.id, token: grant.accessToken }, rng, bound };
    for (let i = 0; i < rounds; i++)
      record('rename storm', await renameStorm(ctx, i, 4 + ((i * 5) % 13), i % 2 === 1));
    record('read race', await readRaceStorm(ctx, rounds * 2));
    const locks = await lockStorm(ctx, { clients: 8, opsPerClient: 6, rounds: rounds * 2 });
    log(`  ${locks.operations} lock operations checked for linearizability`);
    record('lock storm', locks.violations);
    record('version storm', await versionStorm(ctx, { writers: 3, savesPerWriter: 5 * rounds, readers: 6 }));
    record('stalled upload', await stalledUploadProbe(ctx));
    record('overwrite race', await overwriteRaceProbe(ctx, rounds));
  } finally {
    await target.dispose();
  }
}

if (phases.has('crash')) {
  const n = Number(a.crash);
  const size = Number(a['crash-mb']) * 1024 * 1024;
  log(`\n== crash loop: ${n} kill -9 during ${a['crash-mb']} MB uploads`);
  const rng = createRng(seed + 3);
  const target = await startServeTarget({
    files: { 'crash/big.bin': taggedBody(rng, 'crash initial', size), 'crash/small.docx': 'small' },
    args: ['--quiet', '--proof', 'off', '--version-retention', '1000'],
    prefix: 'wb-chaos-crash-',
  });
  try {
    const files = await prepareCrashFiles(target, 'crash/big.bin', 'crash/small.docx', bound * 3);
    for (let i = 0; i < n; i++) {
      const point = i < KILL_POINTS.length ? KILL_POINTS[i]! : rng.pick(KILL_POINTS);
      const r = await crashRound(target, files, rng.fork(`round ${i}`), i, point, size, bound * 3);
      log(`  ${r.note}`);
      record('crash', r.violations);
    }
  } finally {
    await target.dispose();
  }
}

log('\n== result');
if (found.length)
  log(
    formatViolations(
      found.map((f) => ({ ...f.v, message: `[${f.phase}] ${f.v.message}` })),
      seed,
      10,
    ),
  );
log(`\n${found.length} violations; seed ${seed}`);
process.exit(found.length > 0 ? 1 : 0);
