// The conformance suite (every group of ALL_GROUPS) against our own host, as a user runs it: real
// `serve` processes, runs started through the control API, one test per case named `Group.Case`
// so a failure reads as the case it is. Unsigned groups run against a plain serve; the proof-key
// groups run signed (--sign) against a serve that enforces proofs with the simulated client, whose
// key file is made beforehand with a current and an old key so the old-key cases run too. The
// list of tests is made from ALL_GROUPS, so a group registered later is covered with no edit here.
// A group the edit token's CheckFileInfo skips (one for users who cannot write) runs again with a
// viewer's token on the same file.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_GROUPS } from '../../../server/conformance/cases/index';
import { PREREQUISITES } from '../../../server/conformance/runner';
import type { CheckRunView } from '../../../server/contracts/api';
import { SIMULATOR_KEY_FILE } from '../../../server/simulator/keys';
import { caseResult, checkVia, controlClient, describeResult } from '../../helpers/check-runs';
import { spawnServe } from '../../helpers/cli-process';
import type { ServeProcess } from '../../helpers/cli-process';
import { makeRoot } from '../../helpers/engine-fixture';

const FILE = 'suite.wopitest';
const TIMEOUT = { timeout: 300_000 };
const unsignedGroups = ALL_GROUPS.filter((g) => g.needsSigner !== true);
const signedGroups = ALL_GROUPS.filter((g) => g.needsSigner === true);

/** The simulated client's key file with a current and an old key, as after one rotation. */
async function writeRotatedKeys(dataDir: string): Promise<void> {
  const pem = () =>
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
  const now = Date.now();
  const keys = {
    version: 1,
    current: { pem: pem(), createdAt: now },
    old: { pem: pem(), createdAt: now - 1 },
  };
  await writeFile(path.join(dataDir, SIMULATOR_KEY_FILE), JSON.stringify(keys), { mode: 0o600 });
}

interface Started {
  proc: ServeProcess;
  run: CheckRunView;
  /** The groups an edit token's CheckFileInfo skipped, run again with a view-only token. */
  viewerRun?: CheckRunView;
}

/** A serve on a fresh folder holding FILE, and a finished check of FILE with `groups`. */
async function serveAndCheck(opts: { sign: boolean; args: string[]; groups: string[] }): Promise<Started> {
  const root = await makeRoot('wb-suite-', { [FILE]: 'conformance suite scratch file\n' });
  const dataDir = path.join(root, 'data');
  if (opts.sign) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeRotatedKeys(dataDir);
  }
  const proc = await spawnServe(path.join(root, 'folder'), dataDir, opts.args);
  const client = controlClient(proc.ready);
  const file = (await client.files()).find((f) => f.path === FILE);
  assert.ok(file, `${FILE} is served`);
  const run = await checkVia(client, { fileId: file.id, groups: opts.groups, sign: opts.sign });
  // Some groups need what only a user without write rights sees (UserCanNotWriteRelative): the
  // same file, a viewer's token, the same host.
  const skipped = run.groups.filter((g) => g.status === 'skipped').map((g) => g.id);
  if (skipped.length === 0) return { proc, run };
  const grant = await client.mintToken({ body: { fileId: file.id, personaId: 'viewer' } });
  const viewerRun = await checkVia(client, {
    wopiSrc: grant.wopiSrc,
    accessToken: grant.accessToken,
    groups: skipped,
    sign: opts.sign,
  });
  return { proc, run, viewerRun };
}

void describe('conformance suite against our own host: every case passes', () => {
  let plain: Started | undefined;
  let signed: Started | undefined;

  before(async () => {
    // Side by side: two processes, two folders.
    [plain, signed] = await Promise.all([
      serveAndCheck({ sign: false, args: [], groups: unsignedGroups.map((g) => g.id) }),
      serveAndCheck({
        sign: true,
        args: ['--client', 'simulator', '--proof', 'enforce'],
        groups: signedGroups.map((g) => g.id),
      }),
    ]);
  }, TIMEOUT);
  after(async () => {
    for (const s of [plain, signed]) {
      if (!s) continue;
      s.proc.kill('SIGTERM');
      await s.proc.exitWithin();
    }
  });

  const runOf = (which: 'plain' | 'signed'): CheckRunView => {
    const s = which === 'plain' ? plain : signed;
    assert.ok(s, 'the run started');
    return s.run;
  };

  for (const which of ['plain', 'signed'] as const) {
    const id = `${PREREQUISITES.group}.${PREREQUISITES.name}`;
    void it(`${id} (${which === 'plain' ? 'unsigned' : 'signed, proofs enforced'})`, () => {
      const run = runOf(which);
      assert.equal(run.state, 'done', run.error);
      assert.equal(run.ownHost, true);
      assert.equal(run.signed, which === 'signed');
      const r = caseResult(run, id);
      assert.ok(r, `${id} is in the run`);
      assert.equal(r.status, 'pass', describeResult(r));
    });
  }

  for (const group of ALL_GROUPS) {
    const which = group.needsSigner === true ? 'signed' : 'plain';
    for (const c of group.cases) {
      const id = `${group.id}.${c.name}`;
      void it(id, () => {
        const s = which === 'plain' ? plain : signed;
        assert.ok(s, 'the run started');
        // The run in which the host's CheckFileInfo let the group run (edit token, else view token).
        const ran = [s.run, s.viewerRun].find(
          (r) => r?.groups.find((x) => x.id === group.id)?.status === 'ran',
        );
        const why = s.run.groups.find((x) => x.id === group.id)?.skippedBecause;
        assert.ok(
          ran,
          `group ${group.id} ran with neither an edit nor a view token (${why ?? 'not in the run'})`,
        );
        assert.equal(ran.state, 'done', ran.error);
        const r = caseResult(ran, id);
        assert.ok(r, `${id} is in the run`);
        assert.equal(r.status, 'pass', `${id}: ${describeResult(r)}`);
        assert.ok(r.exchanges.length > 0, `${id} sent no request`);
      });
    }
  }
});
