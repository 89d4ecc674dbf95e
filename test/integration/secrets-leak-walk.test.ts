// No secret leaves the engine in clear. Real traffic through a real engine (proof mode enforce):
// the simulated client signing its calls (so verdicts exist), a proof signed for the wrong URL
// (a failed verdict with its reason, why and wouldVerifyWith), CheckFileInfo and PutRelativeFile
// handing out host-page URLs, launch links and host pages, PostMessages, a public URL change and an
// engine warning. Then EVERY exit is walked generically, every key and every string, never a list
// of fields: each GET route of the control contract (every page, every record, searches, every
// file), the SSE stream live and replayed from Last-Event-ID, and every console line of the
// printer, in JSON and human form, in-process and from the real `serve` process.
// Needles: every token this host signed that a client saw (access tokens, launch links, host-page
// sessions, and their signatures), the control token (allowed only in the ready block), and the
// HMAC secrets kept in the data dir. Zero hits allowed; one record revealed on purpose shows them.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attachPrinter } from '../../server/cli/printer';
import type { EventType } from '../../server/contracts/events';
import type { Workbench } from '../../server/workbench';
import { spawnServe } from '../helpers/cli-process';
import { makeRoot, startWiredEngine } from '../helpers/engine-fixture';
import type { WiredBench } from '../helpers/engine-fixture';
import type { WopiResponse } from '../helpers/wopi-client';
import {
  Issued,
  leaksIn,
  needlesOf,
  walkControlApi,
  openStream,
  walkFrames,
  dataDirSecrets,
  spawnHumanServe,
  driveTraffic,
  control,
  parsed,
  FILES,
  PUBLIC_URL,
} from '../helpers/secrets-walk';
import type { Run, SseStream } from '../helpers/secrets-walk';

void describe('no secret leaves an in-process engine in clear', () => {
  let bench: WiredBench;
  let run: Run;
  const jsonLines: string[] = [];
  const humanLines: string[] = [];
  const readyJson: string[] = [];
  const readyHuman: string[] = [];
  const issued = new Issued();
  let needles: string[] = [];
  let answers: WopiResponse[] = [];
  let live: SseStream;

  before(async () => {
    let printers: Array<ReturnType<typeof attachPrinter>> = [];
    bench = await startWiredEngine({
      prefix: 'wb-leaks-',
      files: FILES,
      engine: { proofMode: 'enforce' },
      beforeStart: (wb: Workbench) => {
        printers = [
          attachPrinter(wb, { json: true, quiet: false, write: (l) => jsonLines.push(l) }),
          attachPrinter(wb, { json: false, quiet: false, write: (l) => humanLines.push(l) }),
        ];
      },
    });
    const { wb } = bench;
    run = {
      wopiUrl: wb.wopiUrl(),
      controlUrl: wb.controlUrl(),
      controlToken: wb.controlToken,
      dataDir: path.join(bench.root, 'data'),
    };
    const ready = {
      wopiUrl: run.wopiUrl,
      controlUrl: run.controlUrl,
      controlToken: run.controlToken,
      uiUrl: wb.uiUrl(),
      publicUrl: wb.publicBase(),
    };
    // The ready block is the one place the control token may be printed: keep it apart.
    const [json, human] = printers as [ReturnType<typeof attachPrinter>, ReturnType<typeof attachPrinter>];
    const [jn, hn] = [jsonLines.length, humanLines.length];
    json.ready(ready, { tunnel: null, sampleCopy: false });
    human.ready(ready, { tunnel: null, sampleCopy: false });
    readyJson.push(...jsonLines.splice(jn));
    readyHuman.push(...humanLines.splice(hn));
    live = await openStream(run);
    answers = await driveTraffic(run, issued);
    // What onError reports for a failure whose message quotes a URL (a socket error, a fetch).
    const link = [...issued.tokens].find((t) => t.startsWith('ln1'))!;
    const token = [...issued.tokens].find((t) => t.startsWith('wb1'))!;
    wb.bus.emit('engine:warning', {
      code: 'internal',
      message: `GET ${run.wopiUrl}/wopi/files/x?access_token=${token} failed after ${PUBLIC_URL}/host/x?action=view&l=${link}`,
    });
    needles = needlesOf(issued, dataDirSecrets(run.dataDir));
  });
  after(async () => {
    live?.close();
    await bench?.dispose();
  });

  void it('the traffic really handed out secrets (so finding none below means something)', () => {
    assert.ok(issued.count('wb1') >= 6, `access tokens issued: ${issued.count('wb1')}`);
    assert.ok(issued.count('ln1') >= 4, `launch links issued: ${issued.count('ln1')}`);
    assert.ok(issued.count('hs1') >= 2, `host-page sessions issued: ${issued.count('hs1')}`);
  });

  void it('every answer of every GET route (every page, record, search, file) holds none of them, nor the control token', async () => {
    const { leaks, ids } = await walkControlApi(run, [...needles, run.controlToken]);
    assert.ok(ids.length >= 20, `requests logged: ${ids.length}`);
    for (const res of answers)
      leaks.push(
        ...leaksIn(
          parsed(res.text),
          [...needles, run.controlToken],
          `${res.request.method} ${res.request.url}`,
        ),
      );
    assert.deepEqual(leaks, []);
  });

  void it('reveal=1 on one record still shows its secrets in clear', async () => {
    const api = control(run);
    const page = JSON.parse((await api('GET', '/v1/requests?operation=CheckFileInfo&status=500')).text) as {
      items: Array<{
        id: string;
        proof?: { urlVerified: string; wouldVerifyWith?: string[]; reason: string };
        why?: string;
      }>;
    };
    // The simulator's wrong-url request (the conformance run's proof-key cases are refused too, with
    // no URL that would have verified).
    const failed = page.items.find((i) => (i.proof?.wouldVerifyWith?.length ?? 0) > 0);
    assert.ok(failed?.proof, 'a CheckFileInfo refused for its proof was logged');
    assert.match(failed.proof.urlVerified, /access_token=\[redacted \d+ chars\]/);
    assert.equal(failed.proof.wouldVerifyWith?.length, 1);
    assert.match(failed.why ?? '', /proof-key check failed: .*access_token=\[redacted/);
    const clear = JSON.parse((await api('GET', `/v1/requests/${failed.id}?reveal=1`)).text) as {
      proof: { urlVerified: string; wouldVerifyWith: string[]; reason: string };
      why: string;
      redacted?: boolean;
    };
    const token = /access_token=([A-Za-z0-9]+)/.exec(clear.proof.urlVerified)?.[1];
    assert.ok(token && issued.tokens.has(token), clear.proof.urlVerified);
    for (const s of [clear.proof.wouldVerifyWith[0]!, clear.proof.reason, clear.why])
      assert.ok(s.includes(token), s);
    assert.notEqual(clear.redacted, true);
  });

  void it('every SSE frame, live and replayed from Last-Event-ID 0, holds none of them; every event type is covered', async () => {
    const status = JSON.parse((await control(run)('GET', '/v1/status')).text) as { lastSeq: number };
    const replay = await openStream(run, '0');
    try {
      await live.reach(status.lastSeq);
      await replay.reach(status.lastSeq);
      const a = walkFrames(live.frames, [...needles, run.controlToken], 'live');
      const b = walkFrames(replay.frames, [...needles, run.controlToken], 'replayed');
      assert.deepEqual([...a.leaks, ...b.leaks], []);
      const expected: EventType[] = [
        'request:completed',
        'hostpage:message',
        'tunnel:changed',
        'lock:changed',
        'file:added',
        'file:changed',
        'version:created',
        'discovery:refreshed',
        'engine:warning',
        'check:updated',
      ];
      assert.deepEqual(
        expected.filter((t) => !b.types.has(t)),
        [],
        `replayed types: ${[...b.types].join(', ')}`,
      );
    } finally {
      replay.close();
    }
  });

  void it('every console line, JSON and human, holds none of them; the control token only in the ready block', () => {
    assert.ok(
      jsonLines.length >= 20 && humanLines.length >= 20,
      `${jsonLines.length} / ${humanLines.length} lines`,
    );
    const leaks = [
      ...jsonLines.flatMap((l, i) => leaksIn(parsed(l), [...needles, run.controlToken], `json line ${i}`)),
      ...humanLines.flatMap((l, i) => leaksIn(l, [...needles, run.controlToken], `human line ${i}`)),
      ...[...readyJson, ...readyHuman].flatMap((l, i) => leaksIn(l, needles, `ready line ${i}`)),
    ];
    assert.deepEqual(leaks, []);
    assert.ok(
      readyHuman.join('\n').includes(run.controlToken),
      'the ready block still gives the control token',
    );
    assert.ok(readyJson.join('\n').includes(run.controlToken));
  });
});

/** `serve` without --json, read until its ready block names the inspector URL. */

void describe('no secret leaves a `serve` process in clear', () => {
  let root = '';
  before(async () => {
    root = await makeRoot('wb-leaks-cli-', FILES);
  });
  after(async () => {
    const { rm } = await import('node:fs/promises');
    if (root) await rm(root, { recursive: true, force: true, maxRetries: 5 });
  });

  void it('serve --json: no event line holds a secret; the ready event alone holds the control token', async () => {
    const dataDir = path.join(root, 'data-json');
    const proc = await spawnServe(path.join(root, 'folder'), dataDir, [
      '--wopi-port',
      '0',
      '--control-port',
      '0',
      '--proof',
      'enforce',
    ]);
    const run: Run = { ...proc.ready, dataDir };
    const issued = new Issued();
    let lines: string[];
    try {
      await driveTraffic(run, issued);
    } finally {
      proc.kill('SIGTERM');
      await proc.exitWithin();
      lines = proc.stdout().split('\n').filter(Boolean);
    }
    const needles = needlesOf(issued, dataDirSecrets(dataDir));
    const events = lines.map((l) => parsed(l) as { event?: string });
    assert.ok(events.filter((e) => e.event === 'request').length >= 20, `${lines.length} lines`);
    const leaks = events.flatMap((e, i) =>
      leaksIn(
        e,
        e.event === 'ready' ? needles : [...needles, run.controlToken],
        `line ${i} (${e.event ?? '?'})`,
      ),
    );
    assert.deepEqual(leaks, []);
  });

  void it('serve (human output): no line after the ready block holds a secret, nor the control token', async () => {
    const dataDir = path.join(root, 'data-human');
    const proc = await spawnHumanServe(path.join(root, 'folder'), dataDir);
    const issued = new Issued();
    try {
      await driveTraffic(proc.run, issued);
    } finally {
      await proc.stop();
    }
    const needles = needlesOf(issued, dataDirSecrets(dataDir));
    const ready = proc.lines.slice(0, proc.readyCount);
    const rest = proc.lines.slice(proc.readyCount);
    assert.ok(rest.length >= 20, `${rest.length} lines after ready`);
    assert.ok(
      rest.some((l) => l.includes('proof-key check failed')),
      'the refused proof is printed with its why',
    );
    const leaks = [
      ...ready.flatMap((l, i) => leaksIn(l, needles, `ready line ${i}`)),
      ...rest.flatMap((l, i) => leaksIn(l, [...needles, proc.run.controlToken], `line ${i}`)),
    ];
    assert.deepEqual(leaks, []);
  });
});
