// GET /v1/hostpage/messages over real HTTP: the PostMessages a host page forwarded before anyone asked,
// oldest first with their event seqs, continued by the event stream from `lastSeq` without a gap or a
// repeat; bounded (newest kept, the rest counted), limit checked, and behind the control API's guard.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EventEnvelope, HostMessageHistory, LaunchLink } from '../../server/contracts';
import { HOST_MESSAGE_HISTORY } from '../../server/contracts';
import { createWorkbench } from '../../server/workbench';
import type { Workbench } from '../../server/workbench';
import { serveControlApp } from '../helpers/control-app';
import { onSseBlocks } from '../helpers/sse';
import { expectStatus, sendRequest } from '../helpers/wopi-client';
import type { WopiResponse } from '../helpers/wopi-client';

const WAIT_MS = 10_000;

let root: string;
let wb: Workbench;
let fileId: string;
/** The host page's side of one launch: where it posts messages and with which session. */
let page: { messagesUrl: string; sessionToken: string };

async function call(
  route: string,
  headers: Record<string, string> = {},
  token: string | null = wb.controlToken,
  base = wb.controlUrl(),
) {
  const all: Record<string, string> = { ...headers };
  if (token !== null) all['Authorization'] = `Bearer ${token}`;
  return sendRequest({ method: 'GET', url: `${base}${route}`, headers: all });
}

const json = <T>(res: WopiResponse): T => JSON.parse(res.text) as T;

async function history(query = '', base?: string): Promise<HostMessageHistory> {
  const res = await call(`/v1/hostpage/messages${query}`, {}, wb.controlToken, base);
  expectStatus(res, 200);
  return json<HostMessageHistory>(res);
}

/** Post one message as the launched host page does (POST /host-session/messages on the WOPI listener). */
async function post(messageId: string, values: Record<string, unknown> = {}): Promise<void> {
  const res = await fetch(page.messagesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-host-session': page.sessionToken },
    body: JSON.stringify({ direction: 'from-client', messageId, values }),
  });
  assert.equal(res.status, 204, `posting ${messageId}`);
}

/** The hostpage:message events of GET /v1/events?since=<since>, once `count` have arrived. */
function streamMessages(since: number, count: number): Promise<EventEnvelope<'hostpage:message'>[]> {
  return new Promise((resolve, reject) => {
    const url = `${wb.controlUrl()}/v1/events?since=${since}`;
    const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${wb.controlToken}` };
    const found: EventEnvelope<'hostpage:message'>[] = [];
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`timed out: ${found.length} of ${count} hostpage:message events from seq ${since}`));
    }, WAIT_MS);
    const req = http.request(url, { headers, agent: false }, (res) => {
      onSseBlocks(
        res,
        (block) => {
          if (!block.includes('event: hostpage:message\n')) return;
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) found.push(JSON.parse(data.slice(6)) as EventEnvelope<'hostpage:message'>);
        },
        () => {
          if (found.length < count) return;
          clearTimeout(timer);
          req.destroy();
          resolve(found);
        },
      );
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      if (found.length < count) reject(err);
    });
    req.end();
  });
}

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'wb-control-messages-'));
  const folder = path.join(root, 'folder');
  await fsp.mkdir(folder);
  await fsp.writeFile(path.join(folder, 'notes.txt'), 'notes\n');
  wb = createWorkbench({ folder, dataDir: path.join(root, 'data'), watch: false });
  await wb.start();
  fileId = wb.files.listPresent()[0]!.id;
});

after(async () => {
  await wb?.stop();
  if (root) await fsp.rm(root, { recursive: true, force: true, maxRetries: 5 });
});

/** Launch through the control API and read the host page's config, as its script would. */
async function launchPage(): Promise<void> {
  const res = await fetch(`${wb.controlUrl()}/v1/launch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${wb.controlToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileId, action: 'view' }),
  });
  assert.equal(res.status, 200);
  const link = (await res.json()) as LaunchLink;
  const html = await (await fetch(link.url)).text();
  const config = /<script type="application\/json" id="host-config">([^<]*)<\/script>/.exec(html)?.[1];
  assert.ok(config, 'the host page carries its config');
  page = JSON.parse(config) as typeof page;
}

void describe('GET /v1/hostpage/messages', () => {
  void it('is empty before any host page spoke', async () => {
    const empty = await history();
    assert.deepEqual(empty.items, []);
    assert.equal(empty.dropped, 0);
    assert.equal(empty.lastSeq, wb.bus.lastSeq());
  });

  void it('returns what a host page posted before the request, and the stream continues from lastSeq', async () => {
    await launchPage();
    await post('App_LoadingStatus', { DocumentLoadedTime: 1 });
    await post('UI_Edit');
    const first = await history();
    assert.deepEqual(
      first.items.map((e) => [e.type, e.data.messageId, e.data.fileId, e.data.direction]),
      [
        ['hostpage:message', 'App_LoadingStatus', fileId, 'from-client'],
        ['hostpage:message', 'UI_Edit', fileId, 'from-client'],
      ],
    );
    assert.deepEqual(first.items[0]?.data.values, { DocumentLoadedTime: 1 });
    const seqs = first.items.map((e) => e.seq);
    assert.ok(
      seqs[0]! < seqs[1]! && seqs[1]! <= first.lastSeq,
      `seqs ${seqs.join(', ')} up to ${first.lastSeq}`,
    );

    // What a client does next: the stream from lastSeq brings exactly the messages after the history.
    await post('File_Rename', { NewName: 'renamed' });
    await post('UI_Close');
    const live = await streamMessages(first.lastSeq, 2);
    assert.deepEqual(
      live.map((e) => e.data.messageId),
      ['File_Rename', 'UI_Close'],
    );
    assert.ok(live.every((e) => e.seq > first.lastSeq));

    // And a later history has the same events with the same seqs: merging by seq never repeats one.
    const later = await history();
    assert.deepEqual(
      later.items.map((e) => e.seq),
      [...seqs, ...live.map((e) => e.seq)],
    );
  });

  void it('redacts tokens a message carries, in the history and on the stream alike', async () => {
    const secretUrl = 'https://client.example/x?access_token=SECRETTOKEN123&ui=en-US';
    const before = await history();
    await post('UI_Sharing', { Url: secretUrl, access_token: 'SECRETTOKEN456' });
    const [streamed] = await streamMessages(before.lastSeq, 1);
    const stored = (await history()).items.at(-1);
    for (const [where, env] of [
      ['stream', streamed],
      ['history', stored],
    ] as const) {
      assert.equal(env?.data.messageId, 'UI_Sharing', where);
      assert.doesNotMatch(JSON.stringify(env), /SECRETTOKEN/, `${where} leaks a token`);
      assert.equal(
        env?.data.values['Url'],
        'https://client.example/x?access_token=[redacted 14 chars]&ui=en-US',
      );
    }
  });

  void it('limit returns the newest messages; a limit outside 1..HOST_MESSAGE_HISTORY is refused', async () => {
    const all = await history();
    const two = await history('?limit=2');
    assert.deepEqual(two.items, all.items.slice(-2));
    expectStatus(await call(`/v1/hostpage/messages?limit=${HOST_MESSAGE_HISTORY}`), 200);
    for (const bad of ['0', String(HOST_MESSAGE_HISTORY + 1), 'many', '-1']) {
      const res = await call(`/v1/hostpage/messages?limit=${bad}`);
      expectStatus(res, 400, `limit=${bad}`);
      assert.equal(json<{ error: { code: string } }>(res).error.code, 'bad-request');
    }
  });

  void it('keeps only the newest messages of its bound and counts the rest', async () => {
    // A fresh control app with room for three: it sees only the messages from now on.
    const small = await serveControlApp(wb, {}, { hostMessageHistory: 3 });
    try {
      for (let i = 1; i <= 5; i++) await post('UI_Workflow', { WorkflowType: `step-${i}` });
      const kept = await history('', small.url);
      assert.deepEqual(
        kept.items.map((e) => e.data.values['WorkflowType']),
        ['step-3', 'step-4', 'step-5'],
      );
      assert.equal(kept.dropped, 2);
      expectStatus(await call('/v1/hostpage/messages?limit=4', {}, wb.controlToken, small.url), 400);
    } finally {
      await small.close();
    }
  });

  void it('is behind the control API guard: token, Host and Origin', async () => {
    const route = '/v1/hostpage/messages';
    expectStatus(await call(route, {}, null), 401);
    expectStatus(await call(route, {}, 'not-the-token'), 401);
    const port = new URL(wb.controlUrl()).port;
    expectStatus(await call(route, { Origin: 'http://evil.example' }), 403);
    expectStatus(await call(route, { Host: `evil.example:${port}` }), 403);
    const refused = await call(route, { Origin: 'http://evil.example' });
    assert.ok(!refused.text.includes('App_LoadingStatus'), 'a refused request carries no message');
    expectStatus(await call(route, { Origin: `http://127.0.0.1:${port}` }), 200);
  });
});
