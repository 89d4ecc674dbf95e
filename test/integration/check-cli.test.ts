// `wopi-workbench check` as a CI job runs it: against our own `serve` (every case passes, exit 0),
// against a file that is not a .wopitest (refused before any write, exit 1), against someone else's
// host with a classic mistake (exit 1), and with command-line mistakes (exit 2). The JSON and the
// JUnit file are read back with a parser; the data dir it was given keeps the run and every request,
// tagged with the run and the case.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { ALL_GROUPS } from '../../server/conformance/cases/index';
import type { CheckRunView } from '../../server/contracts/api';
import { createWorkbench } from '../../server/workbench';
import { controlClient, notPassed } from '../helpers/check-runs';
import { childEnv, cliPath, repoRoot, startServe } from '../helpers/cli-process';
import type { CliRun, ServeHandle, TokenGrant } from '../helpers/cli-process';
import { startMiniHost } from '../helpers/mini-host';

const CHECK_TIMEOUT_MS = 240_000;
const TEST = { timeout: CHECK_TIMEOUT_MS + 30_000 };
const KEEP = 'Do not touch: a real document.\n';
const noGroups = ALL_GROUPS.length === 0 ? 'no conformance groups are registered yet' : false;

/** The CLI once, to completion (a whole check takes longer than the shared runCli allows). */
function check(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, 'check', ...args],
      { cwd: repoRoot, env: childEnv(), timeout: CHECK_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

function runOf(r: CliRun): CheckRunView {
  assert.equal(r.stdout.trimEnd().split('\n').length, 1, `--json prints one line:\n${r.stdout}`);
  return JSON.parse(r.stdout) as CheckRunView;
}

const allCases = (run: CheckRunView) => run.groups.flatMap((g) => g.cases);

/** The data dir of a `check` run, opened as the inspector would (a workbench that binds nothing). */
async function withDataDir<T>(dataDir: string, fn: (wb: ReturnType<typeof createWorkbench>) => Promise<T>) {
  const folder = await mkdtemp(path.join(tmpdir(), 'wb-check-read-'));
  const wb = createWorkbench({ folder, dataDir, watch: false });
  try {
    return await fn(wb);
  } finally {
    await wb.stop();
    await rm(folder, { recursive: true, force: true });
  }
}

void describe('wopi-workbench check', () => {
  let serve: ServeHandle;
  let grant: TokenGrant;
  let scratch: string;
  before(async () => {
    serve = await startServe({ files: { 'cli.wopitest': 'check me\n', 'keep.docx': KEEP } });
    grant = await serve.token('cli.wopitest');
    scratch = await mkdtemp(path.join(tmpdir(), 'wb-check-cli-'));
  });
  after(async () => {
    await serve?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  void it(
    'against our own serve: exit 0, one JSON line, a JUnit file with one testcase per case, the run and its requests kept in the data dir',
    TEST,
    async () => {
      const dataDir = path.join(scratch, 'data-pass');
      const junit = path.join(scratch, 'pass.xml');
      const r = await check([
        '--wopisrc',
        grant.wopiSrc,
        '--token',
        grant.accessToken,
        '--data-dir',
        dataDir,
        '--json',
        '--junit',
        junit,
      ]);
      assert.equal(r.code, 0, `${r.stderr}\n${r.stdout.slice(0, 4000)}`);
      for (const out of [r.stdout, r.stderr, await readFile(junit, 'utf8')])
        assert.ok(!out.includes(grant.accessToken), 'the token is never printed');
      const run = runOf(r);
      assert.equal(run.state, 'done');
      assert.equal(run.fileName, 'cli.wopitest');
      assert.equal(run.wopiSrc, grant.wopiSrc);
      assert.equal(run.ownHost, false, 'a check process binds nothing: the host is another process');
      assert.deepEqual(
        notPassed(run).filter((l) => !/ skip/.test(l)),
        [],
      );
      assert.equal(run.groups[0]?.id, 'Run');
      assert.deepEqual(
        run.groups.slice(1).map((g) => g.id),
        ALL_GROUPS.map((g) => g.id),
      );
      const cases = allCases(run);
      assert.equal(
        cases.length,
        run.totals.pass + run.totals.fail + run.totals.skip + run.totals.error,
        'totals count every case',
      );

      const doc = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        isArray: (name) => name === 'testsuite' || name === 'testcase',
      }).parse(await readFile(junit, 'utf8')) as {
        testsuites: {
          tests: string;
          failures: string;
          testsuite: Array<{ name: string; testcase: Array<Record<string, unknown>> }>;
        };
      };
      const suites = doc.testsuites.testsuite;
      assert.deepEqual(
        suites.map((s) => s.name),
        run.groups.map((g) => g.id),
      );
      const testcases = suites.flatMap((s) => s.testcase);
      assert.equal(testcases.length, cases.length);
      assert.equal(Number(doc.testsuites.tests), cases.length);
      assert.equal(testcases.filter((c) => 'failure' in c).length, 0);
      assert.equal(Number(doc.testsuites.failures), 0);
      assert.equal(testcases.filter((c) => 'skipped' in c).length, run.totals.skip);

      await withDataDir(dataDir, async (wb) => {
        const stored = await wb.api.check(run.id);
        assert.deepEqual(stored, run);
        const page = await wb.api.requests({ q: run.id, limit: 1000 });
        const exchanges = cases.flatMap((c) => c.exchanges);
        assert.equal(page.total, exchanges.length, 'one record per exchange, no more');
        const byId = new Map(page.items.map((rec) => [rec.id, rec]));
        for (const c of cases)
          for (const id of c.exchanges) {
            const rec = byId.get(id);
            assert.ok(rec, `${c.id}: record ${id} is in the log`);
            assert.deepEqual(rec.check, { runId: run.id, caseId: c.id });
            assert.equal(rec.source, 'check');
            assert.ok(rec.status > 0, `${c.id}: ${rec.method} ${rec.path} has the host's status`);
          }
        // Shown redacted, as every record is.
        assert.ok(!JSON.stringify(page).includes(grant.accessToken));
      });
    },
  );

  void it(
    'the human report: a line per case, the tally last; the token may come in the URL',
    TEST,
    async () => {
      const r = await check([
        '--wopisrc',
        `${grant.wopiSrc}?access_token=${encodeURIComponent(grant.accessToken)}`,
        '--data-dir',
        path.join(scratch, 'data-human'),
        ...(ALL_GROUPS[0] ? ['--groups', ALL_GROUPS[0].id.toLowerCase()] : []),
      ]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.ok(!r.stdout.includes(grant.accessToken) && !r.stderr.includes(grant.accessToken));
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(
        lines[0]!,
        /^WOPI conformance check of http:\/\/127\.0\.0\.1:\d+\/wopi\/files\/\S+ \(cli\.wopitest\): unsigned$/,
      );
      assert.ok(lines.includes('  ✓ Prerequisites'), r.stdout);
      const first = ALL_GROUPS[0];
      if (first) {
        // --groups takes ids in any case and runs only those.
        assert.ok(
          lines.some((l) => l.startsWith(`${first.id} — `)),
          r.stdout,
        );
        for (const g of ALL_GROUPS.slice(1)) assert.ok(!lines.some((l) => l.startsWith(`${g.id} — `)), g.id);
      }
      assert.match(lines.at(-1)!, /^\d+ passed, 0 failed, \d+ skipped, 0 errors \(\d+ cases?, [\d.]+ s\)$/);
    },
  );

  void it(
    'a file that is not a .wopitest: refused before any write, exit 1, naming --allow-writes',
    TEST,
    async () => {
      const keep = await serve.token('keep.docx');
      const client = controlClient(serve);
      const fileId = keep.wopiSrc.split('/').pop()!;
      const viewBefore = await client.file({ params: { fileId } });
      const junit = path.join(scratch, 'refused.xml');
      const r = await check([
        '--wopisrc',
        keep.wopiSrc,
        '--token',
        keep.accessToken,
        '--data-dir',
        path.join(scratch, 'data-refused'),
        '--junit',
        junit,
      ]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /^wopi-workbench: refused to run: .*"keep\.docx" does not end in \.wopitest.*--allow-writes/m,
      );
      assert.match(r.stdout, /The run stopped: refused to run/);
      assert.equal(await readFile(path.join(serve.folder, 'keep.docx'), 'utf8'), KEEP, 'bytes unchanged');
      const afterView = await client.file({ params: { fileId } });
      assert.equal(afterView.version, viewBefore.version);
      assert.equal(afterView.lock, viewBefore.lock);
      // The host saw the one CheckFileInfo, nothing else.
      const seen = await client.requests({ query: { fileId } });
      assert.deepEqual([...new Set(seen.items.map((x) => x.operation))], ['CheckFileInfo']);
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
        await readFile(junit, 'utf8'),
      ) as { testsuites: { errors: string } };
      assert.equal(xml.testsuites.errors, '1', 'a refused run is not a green report');
    },
  );

  void it('command-line mistakes exit 2 with one sentence', TEST, async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--token', 'x'], /--wopisrc/],
      [['--wopisrc', grant.wopiSrc], /--token is required, unless the --wopisrc URL carries \?access_token=/],
      [['--wopisrc', 'not a url', '--token', 'x'], /not an absolute URL/],
      [['--wopisrc', 'ftp://h/wopi/files/1', '--token', 'x'], /http or https/],
      [
        ['--wopisrc', grant.wopiSrc, '--token', grant.accessToken, '--groups', 'NoSuchGroup'],
        /unknown conformance group "NoSuchGroup"; the groups are: /,
      ],
    ];
    for (const [args, pattern] of cases) {
      const r = await check([...args, '--data-dir', path.join(scratch, 'data-usage')]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  void it(
    "someone else's host with a classic mistake fails (exit 1), with more failures than without it",
    { ...TEST, skip: noGroups },
    async () => {
      const results: CheckRunView[] = [];
      for (const mistakes of [[], ['unknown-file-500', 'lock-id-case-insensitive']] as const) {
        const host = await startMiniHost({
          files: { 'doc.wopitest': Buffer.from('hello') },
          mistakes: [...mistakes],
        });
        try {
          const r = await check([
            '--wopisrc',
            host.wopiSrc('doc.wopitest'),
            '--token',
            host.token('doc.wopitest'),
            '--data-dir',
            path.join(scratch, 'data-mini'),
            '--json',
          ]);
          const run = runOf(r);
          assert.equal(run.state, 'done', run.error);
          if (mistakes.length > 0) assert.equal(r.code, 1, r.stderr);
          results.push(run);
        } finally {
          await host.close();
        }
      }
      const failed = (run: CheckRunView): Set<string> =>
        new Set(
          allCases(run)
            .filter((c) => c.status === 'fail')
            .map((c) => c.id),
        );
      const [clean, broken] = results.map(failed) as [Set<string>, Set<string>];
      const added = [...broken].filter((id) => !clean.has(id));
      assert.ok(added.length > 0, 'the mistakes fail cases a correct host passes');
      assert.deepEqual(
        [...clean].filter((id) => !broken.has(id)),
        [],
        'a mistake makes nothing pass',
      );
      for (const c of allCases(results[1]!).filter((x) => added.includes(x.id))) {
        assert.ok(c.expected && c.actual, `${c.id} says what was expected and what came`);
        assert.ok(c.exchanges.length > 0, `${c.id} points at its requests`);
      }
    },
  );
});
