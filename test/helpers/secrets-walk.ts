// The secrets walk's machinery: the traffic that hands out every kind of secret (over HTTP only, so
// it runs the same against an in-process engine and a `serve` process), the needles, the generic
// walk of every key and string, and the readers of each exit (control API, SSE, data dir, console).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { LAUNCH_SECRET_KEY } from '../../server/auth/launch-links';
import { ControlRoutes } from '../../server/contracts/control';
import { nowTicks, signProof } from '../../server/proof/sign';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { SIMULATOR_KEY_FILE } from '../../server/simulator/keys';
import { dbFiles } from '../../server/state/db';
import { childEnv, cliPath, repoRoot } from './cli-process';
import { onSseBlocks } from './sse';
import { sendRequest } from './wopi-client';
import type { WopiResponse } from './wopi-client';

const WAIT_MS = 20_000;
export const FILES = {
  'report.docx': buildDocx(['Quarterly report', 'Numbers went up.']),
  'notes.txt': 'notes\n',
};
export const PUBLIC_URL = 'https://wb-leak.example';
/** Anything shaped like a token this host signs: access token, launch link, host-page session. */
const TOKEN_SHAPE = /(?:wb1|ln1|hs1)[0-9a-f]{16,}/gi;
const TOKEN_SECRET_KEY = 'token-secret';

/** Where a run listens and what it gave its user. */
export interface Run {
  wopiUrl: string;
  controlUrl: string;
  controlToken: string;
  dataDir: string;
}

/** Every signed token a client (not the inspector) was handed during the traffic. */
export class Issued {
  readonly tokens = new Set<string>();
  add(text: string): void {
    for (const m of text.matchAll(TOKEN_SHAPE)) this.tokens.add(m[0]);
  }
  addResponse(res: WopiResponse): void {
    this.add(res.text);
    this.add(JSON.stringify(res.headers));
  }
  count(prefix: string): number {
    return [...this.tokens].filter((t) => t.startsWith(prefix)).length;
  }
}

/** The needles: whole tokens, their signatures alone, and the data dir's HMAC secrets. */
export function needlesOf(issued: Issued, secrets: string[]): string[] {
  const out = new Set<string>(secrets);
  for (const t of issued.tokens) {
    out.add(t);
    out.add(t.slice(t.startsWith('wb1') ? -32 : -40)); // the signature, should it appear apart
  }
  return [...out];
}

/** Generic walk: every key and every string of `v`; a hit is a needle or anything token-shaped. */
export function leaksIn(v: unknown, needles: readonly string[], where: string): string[] {
  const check = (s: string, at: string): string[] => {
    const found = needles.filter((n) => s.includes(n)).map((n) => `${at} holds ${n.slice(0, 10)}…`);
    const shaped = s.match(TOKEN_SHAPE);
    if (shaped) found.push(`${at} holds a token-shaped ${shaped[0].slice(0, 10)}…`);
    return found;
  };
  if (typeof v === 'string') return check(v, where);
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [
    ...check(k, `${where} key`),
    ...leaksIn(x, needles, `${where}.${k}`),
  ]);
}

/** A body as JSON when it is JSON (walked structurally), else its text (checked whole). */
export function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function control(run: Run) {
  return async (method: string, route: string, body?: unknown): Promise<WopiResponse> =>
    sendRequest({
      method,
      url: `${run.controlUrl}${route}`,
      headers: {
        Authorization: `Bearer ${run.controlToken}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}

const ok = (res: WopiResponse, what: string): WopiResponse => {
  assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.describe()}`);
  return res;
};

const unescapeHtml = (s: string): string =>
  s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

/**
 * Drives the traffic over HTTP only (as the simulator's page, Office and the inspector would), so it
 * runs the same against an in-process engine and a `serve` process. Control answers seen on the way
 * are returned for the walk, except the two whose purpose is to hand out a secret.
 */
export async function driveTraffic(run: Run, issued: Issued): Promise<WopiResponse[]> {
  const api = control(run);
  const answers: WopiResponse[] = [];
  const get = async <T>(route: string): Promise<T> => {
    const res = ok(await api('GET', route), route);
    answers.push(res);
    return JSON.parse(res.text) as T;
  };
  const files = await get<Array<{ id: string; path: string }>>('/v1/files');
  const idOf = (p: string): string => files.find((f) => f.path === p)!.id;
  const report = idOf('report.docx');
  const notes = idOf('notes.txt');
  const keyPem = (
    JSON.parse(readFileSync(path.join(run.dataDir, SIMULATOR_KEY_FILE), 'utf8')) as {
      current: { pem: string };
    }
  ).current.pem;

  /** A WOPI call as Office makes it: token in the query and in Authorization, signed for the public URL. */
  const wopi = async (
    method: 'GET' | 'POST',
    id: string,
    token: string,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): Promise<WopiResponse> => {
    const { publicUrl } = await get<{ publicUrl: string }>('/v1/status');
    const pathAndQuery = `/wopi/files/${id}?access_token=${token}`;
    const ticks = nowTicks(Date.now());
    const res = await sendRequest({
      method,
      url: `${run.wopiUrl}${pathAndQuery}`,
      headers: {
        Authorization: `Bearer ${token}`,
        'X-WOPI-TimeStamp': ticks.toString(),
        'X-WOPI-Proof': signProof(keyPem, {
          accessToken: token,
          url: `${publicUrl}${pathAndQuery}`,
          timestampTicks: ticks,
        }),
        ...headers,
      },
      ...(body ? { body } : {}),
    });
    issued.addResponse(res);
    return res;
  };

  /** The simulated client in the host page's frame: the action page, then its session API. */
  const simulate = async (action: string, token: string, ttl: string, ops: string[]): Promise<void> => {
    const page = await sendRequest({
      method: 'POST',
      url: action,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token, access_token_ttl: ttl }).toString(),
    });
    ok(page, 'simulator action page');
    const session = page.header('x-usersessionid');
    assert.ok(session, page.describe());
    for (const op of ops) {
      const res = await sendRequest({
        method: 'POST',
        url: `${new URL(action).origin}/sim/api/sessions/${session}/${op}`,
        headers: { 'Content-Type': 'application/json' },
        body: op === 'save' ? JSON.stringify({ text: 'edited while checking for leaks' }) : '{}',
      });
      ok(res, `simulator ${op}`);
      issued.addResponse(res);
    }
  };

  const round = async (): Promise<void> => {
    const minted = ok(await api('POST', '/v1/tokens', { fileId: report, personaId: 'editor' }), 'mint');
    issued.addResponse(minted);
    const token = (JSON.parse(minted.text) as { accessToken: string }).accessToken;

    const info = ok(await wopi('GET', report, token), 'CheckFileInfo');
    assert.match(info.text, /"HostEditUrl":"[^"]*&l=ln1/, 'CheckFileInfo hands out signed launch links');
    const docx = buildDocx(['Saved as']);
    ok(
      await wopi(
        'POST',
        report,
        token,
        {
          'X-WOPI-Override': 'PUT_RELATIVE',
          'X-WOPI-SuggestedTarget': '.docx',
          'X-WOPI-Size': String(docx.length),
        },
        docx,
      ),
      'PutRelativeFile',
    );
    assert.equal((await wopi('GET', notes, token)).status, 401, 'a token for another file');

    /** A launch link opened as a browser would: the host page, and what it hands its frame. */
    const openHostPage = async (action: 'view' | 'edit') => {
      const launched = ok(
        await api('POST', '/v1/launch', { fileId: report, action, personaId: 'editor' }),
        'launch',
      );
      issued.addResponse(launched);
      const link = new URL((JSON.parse(launched.text) as { url: string }).url);
      const host = ok(
        await sendRequest({ method: 'GET', url: `${run.wopiUrl}${link.pathname}${link.search}` }),
        'host page',
      );
      issued.addResponse(host);
      const field = (name: string): string =>
        unescapeHtml(new RegExp(`<input name="${name}" value="([^"]*)"`).exec(host.text)![1]!);
      return {
        link,
        action: unescapeHtml(/<form id="office_form"[^>]* action="([^"]*)"/.exec(host.text)![1]!),
        token: field('access_token'),
        ttl: field('access_token_ttl'),
        config: JSON.parse(
          /<script type="application\/json" id="host-config">([^<]*)<\/script>/.exec(host.text)![1]!,
        ) as { sessionToken: string; messagesUrl: string; hostEditUrl: string | null },
      };
    };
    // The view page of an editor also carries a signed HostEditUrl for its "Edit" button.
    const viewPage = await openHostPage('view');
    assert.ok(viewPage.config.hostEditUrl?.includes('&l=ln1'), 'the view page carries a launch link');
    const { link, action, token: pageToken, ttl, config } = viewPage;
    const editPage = await openHostPage('edit');

    await simulate(editPage.action, editPage.token, editPage.ttl, ['open', 'save', 'close']);
    // Signed for http:// while the host checks https:// (or the reverse): refused, with a reason.
    await simulate(`${action}&misbehave=wrong-url`, pageToken, ttl, ['open']);

    for (const [direction, messageId, values] of [
      ['to-client', 'Host_PostmessageReady', {}],
      [
        'from-client',
        'UI_FileVersions',
        {
          Url: `${PUBLIC_URL}/wopi/files/${report}?access_token=${pageToken}`,
          AccessToken: pageToken,
          Next: link.href,
        },
      ],
    ] as const) {
      const res = await sendRequest({
        method: 'POST',
        url: `${run.wopiUrl}${new URL(config.messagesUrl).pathname}`,
        headers: { 'Content-Type': 'application/json', 'X-Host-Session': config.sessionToken },
        body: JSON.stringify({ direction, messageId, values }),
      });
      assert.equal(res.status, 204, res.describe());
    }

    // A mistaken call that echoes a token in its error must not echo it back in clear.
    answers.push(await api('GET', `/v1/files/${token}`));
  };

  await round();
  answers.push(
    ok(
      await api('POST', '/v1/tunnel/start', { provider: 'public-url', publicUrl: PUBLIC_URL }),
      'public URL',
    ),
  );
  await round();
  answers.push(ok(await api('POST', '/v1/tunnel/stop'), 'tunnel stop'));

  // Conformance runs: one click against our own host (signed, so enforce mode lets it through), and
  // one at a host that does not answer with one of our tokens, whose client-side record carries it.
  const minted = ok(await api('POST', '/v1/tokens', { fileId: report, personaId: 'editor' }), 'mint');
  issued.addResponse(minted);
  const token = (JSON.parse(minted.text) as { accessToken: string }).accessToken;
  for (const body of [
    { sign: true },
    { wopiSrc: `http://127.0.0.1:1/wopi/files/${report}`, accessToken: token },
  ]) {
    const started = ok(await api('POST', '/v1/checks', body), 'start a check');
    answers.push(started);
    const { id } = JSON.parse(started.text) as { id: string };
    const deadline = Date.now() + WAIT_MS * 6;
    for (;;) {
      const run = await get<{ state: string }>(`/v1/checks/${id}`);
      if (run.state !== 'running') break;
      assert.ok(Date.now() < deadline, `check ${id} did not finish`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return answers;
}

export interface SseStream {
  frames: string[];
  /** Resolves once a frame with this seq (or later) arrived. */
  reach(seq: number): Promise<void>;
  close(): void;
}

export function openStream(run: Run, lastEventId?: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${run.controlToken}` };
    if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
    const req = http.request(`${run.controlUrl}/v1/events`, { headers, agent: false }, (res) => {
      assert.equal(res.statusCode, 200);
      const frames: string[] = [];
      let lastId = 0;
      const waiters = new Set<() => void>();
      onSseBlocks(
        res,
        (block) => {
          if (block.startsWith(':')) return;
          frames.push(block);
          lastId = Number(/^id: (\d+)$/m.exec(block)?.[1] ?? lastId);
        },
        () => {
          for (const w of [...waiters]) w();
        },
      );
      resolve({
        frames,
        close: () => req.destroy(),
        reach: (seq) =>
          new Promise<void>((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`stream never reached seq ${seq} (at ${lastId})`)),
              WAIT_MS,
            );
            const check = (): void => {
              if (lastId < seq) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            waiters.add(check);
            check();
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Each SSE frame: its raw text, and its data walked as JSON. Returns leaks and the event types seen. */
export function walkFrames(frames: string[], needles: readonly string[], where: string) {
  const types = new Set<string>();
  const leaks: string[] = [];
  for (const frame of frames) {
    const type = /^event: (.+)$/m.exec(frame)?.[1] ?? '?';
    types.add(type);
    const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '';
    leaks.push(
      ...leaksIn(frame, needles, `${where} ${type} frame`),
      ...leaksIn(parsed(data), needles, `${where} ${type}`),
    );
  }
  return { types, leaks };
}

/** Every GET route of the control contract, with every file id and every logged request id; and searches. */
export async function walkControlApi(
  run: Run,
  needles: readonly string[],
): Promise<{ leaks: string[]; ids: string[] }> {
  const api = control(run);
  const leaks: string[] = [];
  const fetchWalk = async (route: string): Promise<unknown> => {
    const res = await api('GET', route);
    assert.ok(res.status < 500, `${route}: ${res.describe()}`);
    const body = parsed(res.text);
    leaks.push(...leaksIn(body, needles, `GET ${route}`));
    return body;
  };
  // Every page of the log, small pages so there are many.
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = (await fetchWalk(`/v1/requests?limit=7${cursor ? `&before=${cursor}` : ''}`)) as {
      items: Array<{ id: string }>;
      nextCursor?: string;
    };
    ids.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  for (const q of [
    'access_token',
    'HostEditUrl',
    'HostViewUrl',
    'proof',
    'Bearer',
    'wb1',
    'ln1',
    ...needles.slice(0, 3),
  ])
    await fetchWalk(`/v1/requests?q=${encodeURIComponent(q.slice(0, 200))}`);
  const fileIds = new Set(((await fetchWalk('/v1/files')) as Array<{ id: string }>).map((f) => f.id));
  const runIds = ((await fetchWalk('/v1/checks')) as Array<{ id: string }>).map((r) => r.id);
  const idsOf = async (route: string): Promise<string[]> => {
    const body = await fetchWalk(route);
    return Array.isArray(body) ? (body as Array<{ id: string }>).map((r) => r.id) : [];
  };
  const ruleIds = await idsOf('/v1/faults');
  const sessionIds = await idsOf('/v1/simulator/sessions');
  for (const [name, spec] of Object.entries(ControlRoutes)) {
    const [method, pattern] = spec.split(' ') as [string, string];
    if (method !== 'GET' || name === 'events' || name === 'requests') continue;
    const values: Record<string, string[]> = {
      ':fileId': [...fileIds],
      ':requestId': ids,
      ':runId': runIds,
      ':ruleId': ruleIds,
      ':sessionId': sessionIds,
    };
    const param = /:[A-Za-z]+/.exec(pattern)?.[0];
    for (const v of param ? values[param]! : [''])
      await fetchWalk(param ? pattern.replace(param, encodeURIComponent(v)) : pattern);
  }
  return { leaks, ids };
}

/** The HMAC secrets of a data dir (read from its SQLite file, as anyone with the file could). */
export function dataDirSecrets(dataDir: string): string[] {
  const db = new Database(dbFiles(dataDir)[0]!, { fileMustExist: true });
  try {
    const rows = db
      .prepare<[string, string], { value: string }>('SELECT value FROM kv WHERE key IN (?, ?)')
      .all(TOKEN_SECRET_KEY, LAUNCH_SECRET_KEY);
    assert.equal(rows.length, 2, 'both HMAC secrets are in the data dir');
    return rows.map((r) => r.value);
  } finally {
    db.close();
  }
}

export async function spawnHumanServe(folder: string, dataDir: string) {
  const child = spawn(
    process.execPath,
    [
      cliPath,
      'serve',
      '--folder',
      folder,
      '--data-dir',
      dataDir,
      '--wopi-port',
      '0',
      '--control-port',
      '0',
      '--proof',
      'enforce',
    ],
    { cwd: repoRoot, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const done = new Promise<void>((resolve) =>
    createInterface({ input: child.stdout })
      .on('line', (l) => lines.push(l))
      .once('close', resolve),
  );
  const deadline = Date.now() + WAIT_MS;
  while (!lines.some((l) => l.includes('Inspector:'))) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `no ready block:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const value = (label: string): string =>
    lines
      .find((l) => l.trim().startsWith(label))!
      .split(/\s+/)
      .filter(Boolean)[label.split(' ').length]!;
  const uiUrl = new URL(value('Inspector:'));
  const run: Run = {
    wopiUrl: new URL(value('WOPI host:')).origin,
    controlUrl: uiUrl.origin,
    controlToken: uiUrl.hash.replace('#token=', ''),
    dataDir,
  };
  const readyCount = lines.length;
  return {
    run,
    readyCount,
    lines,
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      await Promise.all([exited, done]);
    },
  };
}
