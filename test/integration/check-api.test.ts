// Conformance runs through the control API of a real `serve`: one click against our own host (a
// scratch .wopitest made for it), 'check:updated' events on the stream as the run goes, one run at a
// time, input mistakes named, a non-.wopitest file refused, and the runs still listed after a restart.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ControlApiError } from '../../server/contracts';
import type { ControlClient } from '../../server/contracts';
import type { CheckRunView } from '../../server/contracts/api';
import type { EventEnvelope } from '../../server/contracts/events';
import { checkVia, controlClient, notPassed, waitForRun } from '../helpers/check-runs';
import { spawnServe } from '../helpers/cli-process';
import type { ServeProcess } from '../helpers/cli-process';
import { makeRoot } from '../helpers/engine-fixture';
import { openStream } from '../helpers/secrets-walk';
import type { SseStream } from '../helpers/secrets-walk';

const TEST = { timeout: 300_000 };
const CHECK_FILE = 'workbench-check.wopitest';

async function apiError(p: Promise<unknown>): Promise<ControlApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ControlApiError, String(e));
    return e;
  }
  assert.fail('expected the control API to refuse');
}

/** A TCP server that accepts and never answers: a run against it stays running until let go. */
async function silentHost() {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    wopiSrc: `http://127.0.0.1:${port}/wopi/files/silent`,
    /** Hangs up on every connection: the run's request fails at once. */
    async close(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

void describe('conformance runs through the control API', () => {
  let root: string;
  let serve: ServeProcess;
  let client: ControlClient;
  let stream: SseStream;
  const folder = (): string => path.join(root, 'folder');
  const dataDir = (): string => path.join(root, 'data');
  const start = async (): Promise<void> => {
    serve = await spawnServe(folder(), dataDir());
    client = controlClient(serve.ready);
  };
  const stop = async (): Promise<void> => {
    serve.kill('SIGTERM');
    await serve.exitWithin();
  };

  before(async () => {
    root = await makeRoot('wb-check-api-', { 'report.docx': 'not a scratch file\n' });
    await start();
    stream = await openStream({ ...serve.ready, dataDir: dataDir() });
  });
  after(async () => {
    stream?.close();
    if (serve) await stop();
  });

  /** The 'check:updated' events of one run seen on the stream, in order. */
  const updatesOf = (runId: string): CheckRunView[] =>
    stream.frames
      .filter((f) => /^event: check:updated$/m.test(f))
      .map((f) => (JSON.parse(/^data: (.*)$/m.exec(f)![1]!) as EventEnvelope<'check:updated'>).data)
      .filter((run) => run.id === runId);

  let oneClick: CheckRunView;

  void it(
    'one click: our own host, a scratch .wopitest made for it, every case that runs passes',
    TEST,
    async () => {
      const started = await client.startCheck({ body: {} });
      assert.equal(started.state, 'running');
      assert.equal(started.ownHost, true);
      assert.equal(started.signed, false);
      assert.match(started.wopiSrc, new RegExp(`^${serve.ready.wopiUrl}/wopi/files/[^/?]+$`));
      oneClick = await waitForRun(client, started.id);
      assert.equal(oneClick.state, 'done', oneClick.error);
      assert.equal(oneClick.fileName, CHECK_FILE);
      assert.deepEqual(
        notPassed(oneClick).filter((l) => !/ skip/.test(l)),
        [],
      );
      assert.ok(
        (await client.files()).some((f) => f.path === CHECK_FILE),
        `${CHECK_FILE} is served`,
      );

      // Our host recorded each exchange its WOPI router answered, tagged with the run and the case;
      // the runner recorded the rest (a path outside /wopi/), never one twice.
      const cases = oneClick.groups.flatMap((g) => g.cases);
      const page = await client.requests({ query: { q: oneClick.id, limit: 1000 } });
      assert.equal(page.total, cases.flatMap((c) => c.exchanges).length, 'one record per exchange');
      let hostSide = 0;
      for (const c of cases)
        for (const id of c.exchanges) {
          const rec = await client.request({ params: { requestId: id } });
          assert.deepEqual(rec.check, { runId: oneClick.id, caseId: c.id });
          if (rec.source === 'check')
            assert.equal(rec.responseHeaders['x-request-id'], undefined, `${c.id}: our host recorded it`);
          else hostSide += 1;
        }
      assert.ok(hostSide > 0, 'the host side recorded the exchanges it answered');

      // The stream told the run as it went: running first, one update per case, the end last.
      await stream.reach((await client.status()).lastSeq);
      const updates = updatesOf(oneClick.id);
      assert.equal(updates[0]?.state, 'running');
      assert.deepEqual(updates.at(-1), oneClick);
      const ranCases = oneClick.groups
        .filter((g) => g.status === 'ran' && g.id !== 'Run')
        .flatMap((g) => g.cases);
      assert.ok(
        updates.length >= ranCases.length + 2,
        `${updates.length} updates for ${ranCases.length} cases`,
      );
      assert.ok(
        updates.slice(0, -1).every((u) => u.state === 'running'),
        'only the last update ends the run',
      );
      // A second click reuses the scratch file.
      const again = await checkVia(client, {});
      assert.equal(again.fileName, CHECK_FILE);
      assert.equal((await client.files()).filter((f) => f.path.startsWith('workbench-check')).length, 1);
    },
  );

  void it(
    'one run at a time: a second start is a conflict naming the first; after it ends, a new one starts',
    TEST,
    async () => {
      const host = await silentHost();
      let released = false;
      try {
        const first = await client.startCheck({ body: { wopiSrc: host.wopiSrc, accessToken: 'abc' } });
        assert.equal(first.ownHost, false);
        const refused = await apiError(client.startCheck({ body: {} }));
        assert.equal(refused.status, 409);
        assert.equal(refused.code, 'conflict');
        assert.match(refused.message, new RegExp(first.id));
        await host.close();
        released = true;
        const ended = await waitForRun(client, first.id);
        assert.equal(ended.state, 'failed');
        assert.match(ended.error ?? '', /could not reach the host/);
        // Someone else's host: the exchange is recorded on the client side, tagged, its token redacted.
        const id = ended.groups[0]!.cases[0]!.exchanges[0]!;
        const rec = await client.request({ params: { requestId: id } });
        assert.equal(rec.source, 'check');
        assert.equal(rec.upstream, host.wopiSrc);
        assert.deepEqual(rec.check, { runId: first.id, caseId: 'Run.Prerequisites' });
        assert.doesNotMatch(JSON.stringify(rec), /access_token=abc/);
        const next = await checkVia(client, {});
        assert.equal(next.state, 'done');
      } finally {
        if (!released) await host.close();
      }
    },
  );

  void it(
    'mistakes in the request are named; a file that is not a .wopitest is refused, unwritten',
    TEST,
    async () => {
      const docx = (await client.files()).find((f) => f.path === 'report.docx')!;
      const bad: Array<[unknown, number, RegExp]> = [
        [{ fileId: docx.id, wopiSrc: 'http://h/wopi/files/1', accessToken: 't' }, 400, /not both/],
        [{ groups: ['NoSuchGroup'] }, 400, /unknown conformance group "NoSuchGroup"/],
        [{ wopiSrc: 'http://h/wopi/files/1' }, 400, /accessToken is required/],
        [{ wopiSrc: 'file:///etc/passwd', accessToken: 't' }, 400, /http or https/],
        [{ sign: 'yes' }, 400, /sign must be true or false/],
        [{ fileId: 'no-such-file' }, 404, /no served file/],
      ];
      for (const [body, status, message] of bad) {
        const e = await apiError(client.startCheck({ body: body as never }));
        assert.equal(e.status, status, JSON.stringify(body));
        assert.match(e.message, message);
      }
      assert.equal((await apiError(client.check({ params: { runId: 'nope' } }))).status, 404);

      const refused = await checkVia(client, { fileId: docx.id });
      assert.equal(refused.state, 'failed');
      assert.match(refused.error ?? '', /does not end in \.wopitest.*allowWrites/);
      const afterView = await client.file({ params: { fileId: docx.id } });
      assert.equal(afterView.version, docx.version);
      const ops = (await client.requests({ query: { q: refused.id } })).items.map((r) => r.operation);
      assert.deepEqual(ops, ['CheckFileInfo']);
    },
  );

  void it('runs are kept: newest first, the same after a restart', TEST, async () => {
    const listed = await client.checks();
    assert.ok(listed.length >= 5, `${listed.length} runs`);
    assert.deepEqual(
      [...listed].sort((a, b) => b.startedAt - a.startedAt).map((r) => r.id),
      listed.map((r) => r.id),
    );
    assert.ok(listed.every((r) => r.state !== 'running'));
    stream.close();
    await stop();
    await start();
    stream = await openStream({ ...serve.ready, dataDir: dataDir() });
    assert.deepEqual(await client.checks(), listed);
    assert.deepEqual(await client.check({ params: { runId: oneClick.id } }), oneClick);
  });
});
