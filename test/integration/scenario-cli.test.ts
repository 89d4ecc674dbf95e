// `wopi-workbench scenario` as a QA engineer or a CI job runs it: the shipped scenarios against a fresh
// embedded workbench (exit 0, a JUnit file a parser accepts), a scenario whose expectation is wrong
// (exit 1, the step named with expected and actual), a malformed file (exit 2, the step and field
// named), and a scenario played against a running `serve` (its run and its tagged requests are that
// serve's).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { shippedScenarios } from '../../server/api/scenarios';
import type { CheckRunView } from '../../server/contracts/api';
import { controlClient } from '../helpers/check-runs';
import { childEnv, cliPath, repoRoot, startServe } from '../helpers/cli-process';
import type { CliRun, ServeHandle } from '../helpers/cli-process';

const RUN_TIMEOUT_MS = 120_000;
const TEST = { timeout: RUN_TIMEOUT_MS * 2 };

function scenarioCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, 'scenario', ...args],
      { cwd: repoRoot, env: childEnv(), timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

const SMOKE = `title: against serve
file: { path: cli-smoke.wopitest, content: "from the scenario\\n" }
personas: [editor]
steps:
  - wopi: Lock
    as: editor
    lock: mine
    expect: 200
  - wopi: PutFile
    as: editor
    lock: mine
    body: "saved by the scenario\\n"
    expect: 200
  - wopi: Unlock
    as: editor
    lock: mine
    expect: 200
  - expect: { content: "saved by the scenario\\n", lock: none }
`;

let work: string;
before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'wb-scenario-cli-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

void describe('wopi-workbench scenario', () => {
  it('lists the shipped scenarios', TEST, async () => {
    const r = await scenarioCli(['list', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const listed = JSON.parse(r.stdout) as Array<{ id: string; steps: number }>;
    assert.deepEqual(
      listed.map((s) => s.id),
      shippedScenarios().map((s) => s.id),
    );
    assert.ok(listed.some((s) => s.id === 'second-user-save-rejected'));
  });

  it(
    'every shipped scenario passes against a fresh embedded workbench, with a valid JUnit file',
    TEST,
    async (t) => {
      for (const s of shippedScenarios()) {
        await t.test(s.id, TEST, async () => {
          const junit = path.join(work, `${s.id}.xml`);
          const r = await scenarioCli(['run', s.id, '--junit', junit]);
          assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
          assert.match(
            r.stdout,
            new RegExp(`Scenario "${s.scenario.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`),
          );
          const xml = await readFile(junit, 'utf8');
          assert.equal(XMLValidator.validate(xml), true, 'the JUnit file is XML');
          const doc = new XMLParser({ ignoreAttributes: false }).parse(xml) as {
            testsuites: { testsuite: { '@_name': string; '@_tests': string; '@_failures': string } };
          };
          const suite = doc.testsuites.testsuite;
          assert.equal(suite['@_name'].toLowerCase(), s.id.replace(/-/g, ''), 'the suite is the scenario');
          assert.equal(Number(suite['@_tests']), s.scenario.steps.length + 1, 'every step and the cleanup');
          assert.equal(suite['@_failures'], '0');
        });
      }
    },
  );

  it(
    'a wrong expectation: exit 1, the step named with expected and actual, in text and JUnit',
    TEST,
    async () => {
      const file = path.join(work, 'wrong.yaml');
      await writeFile(
        file,
        SMOKE.replace('body: "saved by the scenario\\n"\n    expect: 200', 'body: "x"\n    expect: 409'),
      );
      const junit = path.join(work, 'wrong.xml');
      const r = await scenarioCli(['run', file, '--junit', junit]);
      assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /✗ Step02 editor: PutFile \(lock mine\)\n\s+expected PutFile: 409; got 200/);
      assert.match(r.stdout, /- Step03 .*\(skipped: not run: step 2 did not pass/);
      const xml = await readFile(junit, 'utf8');
      assert.equal(XMLValidator.validate(xml), true);
      assert.match(xml, /<failure message="expected PutFile: 409; got 200/);
    },
  );

  it('a malformed scenario file: exit 2 naming the step, the field and the fix', TEST, async () => {
    const file = path.join(work, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        title: 'bad',
        steps: [{ wopi: 'PutFile', expect: { status: 'ok' } }, { sim: 'save' }],
      }),
    );
    const r = await scenarioCli(['run', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /steps\[0\]\.expect\.status: "ok" must be an HTTP status/);
    assert.match(r.stderr, /steps\[1\]\.session: "main" is not a session opened by an earlier step/);
    const unknown = await scenarioCli(['run', 'no-such-scenario']);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /neither a scenario file nor a shipped scenario; the shipped ones are: .*file-too-large/,
    );
  });

  describe('against a running serve', () => {
    let serve: ServeHandle;
    before(async () => {
      serve = await startServe({ files: { 'other.txt': 'not the scenario file\n' } });
    });
    after(async () => {
      await serve.stop();
    });

    it('runs through that serve: its run, its file, its tagged requests', TEST, async () => {
      const file = path.join(work, 'smoke.yaml');
      await writeFile(file, SMOKE);
      const r = await scenarioCli(['run', file, '--data-dir', serve.dataDir, '--json']);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      const run = JSON.parse(r.stdout) as CheckRunView;
      assert.equal(run.kind, 'scenario');
      assert.equal(run.state, 'done');
      assert.equal(run.totals.pass, 5);
      assert.ok(run.wopiSrc.startsWith(serve.wopiUrl), `${run.wopiSrc} is the serve's`);
      assert.equal(
        await readFile(path.join(serve.folder, 'cli-smoke.wopitest'), 'utf8'),
        'saved by the scenario\n',
      );
      assert.equal(await readFile(path.join(serve.folder, 'other.txt'), 'utf8'), 'not the scenario file\n');
      const client = controlClient(serve);
      assert.ok(
        (await client.checks()).some((c) => c.id === run.id),
        'the serve keeps the run',
      );
      const page = await client.requests({ query: { limit: 100 } });
      const tagged = page.items.filter((rec) => rec.check?.runId === run.id);
      assert.deepEqual(tagged.map((rec) => rec.operation).sort(), ['Lock', 'PutFile', 'Unlock']);
      assert.ok(!r.stdout.includes(serve.controlToken), 'no control token in the report');
      // --folder names another folder than the serve's: refused rather than silently ignored.
      const both = await scenarioCli(['run', file, '--data-dir', serve.dataDir, '--folder', work]);
      assert.equal(both.code, 2);
      assert.match(both.stderr, /leave out --folder/);
    });
  });
});
