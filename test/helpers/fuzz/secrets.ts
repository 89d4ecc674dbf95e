// The end-to-end secrets scan: after real traffic, read every output the host offers — its console
// (stdout, stderr), the request log pages and each record without reveal, the SSE stream, PostMessage
// history, status, settings and the other GET routes, and the data dir's files other than the SQLite
// database and runtime.json — and look for every secret of the run: each access token minted (and its
// signature alone), launch links and host-page sessions, proof header values sent, the control token
// (allowed only in the ready announcement) and the HMAC secrets kept in the database.
import Database from 'better-sqlite3';
import http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileView, RequestPage } from '../../../server/contracts';
import type { Violation } from './checks';
import { rawRequest } from './raw-http';
import type { ServeTarget } from './target';
import type { World } from './world';

export interface Needle {
  value: string;
  label: string;
  /** True for the control token: the ready announcement may show it, nothing else. */
  readyMayShow?: boolean;
}

export interface Output {
  where: string;
  text: string;
  /** Text the control token may appear in (the ready announcement). */
  readyText?: string;
}

/** Reads GET /v1/events for the whole run, resuming with Last-Event-ID if the host cuts it. */
export function watchEvents(target: ServeTarget): { text(): string; stop(): void } {
  let text = '';
  let lastId = '0';
  let stopped = false;
  let req: http.ClientRequest | undefined;
  const connect = (): void => {
    if (stopped || !target.run.alive()) return;
    req = http.get(
      `${target.run.controlUrl}/v1/events`,
      { headers: { Authorization: `Bearer ${target.run.controlToken}`, 'Last-Event-ID': lastId } },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          const ids = [...d.matchAll(/^id: (\d+)$/gm)];
          if (ids.length) lastId = ids[ids.length - 1]![1]!;
        });
        res.on('close', () => setTimeout(connect, 50));
      },
    );
    req.on('error', () => setTimeout(connect, 200));
  };
  connect();
  return {
    text: () => text,
    stop: () => {
      stopped = true;
      req?.destroy();
    },
  };
}

/** Opens the host page through a launch link and forwards PostMessages through its session, as the page would. */
export async function hostPageTraffic(target: ServeTarget, world: World, fileId: string): Promise<void> {
  const launched = await target.control('POST', '/v1/launch', { fileId, action: 'edit' });
  if (launched.status !== 200)
    throw new Error(`POST /v1/launch answered ${launched.status}: ${launched.text}`);
  const url = new URL((JSON.parse(launched.text) as { url: string }).url);
  const l = url.searchParams.get('l');
  if (l) world.secrets.set(l, 'launch link (POST /v1/launch)');
  const page = await fetch(url.toString().replace(url.origin, target.run.wopiUrl));
  const html = await page.text();
  const access = /name="access_token" value="([A-Za-z0-9]+)"/.exec(html)?.[1];
  const config = /<script type="application\/json" id="host-config">([^<]*)<\/script>/.exec(html)?.[1];
  const session = config ? (JSON.parse(config) as { sessionToken?: string }).sessionToken : undefined;
  if (!access || !session)
    throw new Error(`the host page (${page.status}) carries no access token or session`);
  world.secrets.set(access, 'access token in the host page form');
  world.secrets.set(session, 'host-page session token');
  const wopiSrc = `${target.run.wopiUrl}/wopi/files/${fileId}`;
  const messages = [
    { direction: 'to-client', messageId: 'Host_PostmessageReady', values: {} },
    { direction: 'from-client', messageId: 'App_LoadingStatus', values: { DocumentLoadedTime: 1234 } },
    // A client frame can post anything: a URL with the token in it, or the token under its own name.
    {
      direction: 'from-client',
      messageId: 'UI_FileVersions',
      values: { Url: `${wopiSrc}?access_token=${access}` },
    },
    {
      direction: 'from-client',
      messageId: 'Custom_Debug',
      values: { access_token: access, Nested: { token: access } },
    },
  ];
  for (const m of messages) {
    const res = await fetch(`${target.run.wopiUrl}/host-session/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-host-session': session },
      body: JSON.stringify(m),
    });
    if (res.status !== 204) throw new Error(`POST /host-session/messages answered ${res.status}`);
  }
}

/** Requests whose path and headers carry bytes a terminal acts on (ESC, BEL, C1 CSI): the console must not echo them. */
export async function consoleProbeTraffic(target: ServeTarget, world: World): Promise<void> {
  const f = world.content[world.content.length - 1]!;
  const probes: Array<[string, string | Buffer]> = [
    ['/wopi/files/%1B%5D0%3Bowned%07', 'GET_LOCK'],
    // CSI as a C1 character, a bidi override, a line break that would forge a log line, NEL.
    ['/wopi/files/%C2%9B2J%E2%80%AEdi%0A12:00:00.000%20200%20PutFile%C2%85', 'GET_LOCK'],
    [`/wopi/files/${f.id}?access_token=${f.token}`, Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0x4c])],
  ];
  for (const [path_, override] of probes) {
    await rawRequest(target.run.wopiUrl, {
      method: 'POST',
      target: path_,
      headers: [['X-WOPI-Override', override]],
      answerWithinMs: 10_000,
    });
  }
}

/** The secrets kept in the database (read straight from SQLite, as only the host should). */
function storedSecrets(dataDir: string): Needle[] {
  const db = new Database(path.join(dataDir, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare("SELECT key, value FROM kv WHERE key IN ('token-secret', 'launch-link-secret')")
      .all() as Array<{ key: string; value: string }>;
    return rows.map((r) => ({ value: r.value, label: `HMAC secret (kv '${r.key}')` }));
  } finally {
    db.close();
  }
}

export function needles(target: ServeTarget, world: World): Needle[] {
  const out: Needle[] = storedSecrets(target.dataDir);
  for (const run of target.runs)
    out.push({ value: run.controlToken, label: 'control token', readyMayShow: true });
  for (const [value, label] of world.secrets) {
    out.push({ value, label });
    // The signature alone is what makes an access token or link valid: never shown either.
    if (/^(wb1|ln1|hs1)[0-9a-f]+$/.test(value) && value.length > 40)
      out.push({ value: value.slice(-32), label: `signature of ${label}` });
  }
  return out;
}

async function getText(target: ServeTarget, route: string): Promise<string> {
  return (await target.control('GET', route)).text;
}

/** Every output the host offers, read the way a person or the UI would (no reveal). */
export async function collectOutputs(target: ServeTarget, events: string): Promise<Output[]> {
  const outs: Output[] = [];
  for (const [i, run] of target.runs.entries()) {
    outs.push({
      where: `stdout of run ${i + 1} (${target.json ? '--json' : 'human'})`,
      text: run.stdout(),
      readyText: run.readyText,
    });
    outs.push({ where: `stderr of run ${i + 1}`, text: run.stderr() });
  }
  outs.push({ where: 'GET /v1/events (SSE)', text: events });
  let before: string | undefined;
  const ids: string[] = [];
  for (let page = 0; page < 500; page++) {
    const text = await getText(target, `/v1/requests?limit=1000${before ? `&before=${before}` : ''}`);
    outs.push({ where: `GET /v1/requests page ${page + 1}`, text });
    const body = JSON.parse(text) as RequestPage;
    ids.push(...body.items.map((r) => r.id));
    if (!body.nextCursor) break;
    before = body.nextCursor;
  }
  for (const id of ids)
    outs.push({ where: `GET /v1/requests/${id}`, text: await getText(target, `/v1/requests/${id}`) });
  for (const route of [
    '/v1/status',
    '/v1/settings',
    '/v1/hostpage/messages',
    '/v1/files',
    '/v1/locks',
    '/v1/personas',
    '/v1/discovery',
    '/v1/profiles',
    '/v1/tunnel',
  ])
    outs.push({ where: `GET ${route}`, text: await getText(target, route) });
  const files = JSON.parse(await getText(target, '/v1/files')) as FileView[];
  for (const f of files)
    outs.push({
      where: `GET /v1/files/${f.id}/versions`,
      text: await getText(target, `/v1/files/${f.id}/versions`),
    });
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (!/^workbench\.sqlite(-wal|-shm|-journal)?$|^runtime\.json$/.test(e.name))
        outs.push({
          where: `data dir file ${path.relative(target.dataDir, abs)}`,
          text: (await readFile(abs)).toString('latin1'),
        });
    }
  };
  await walk(target.dataDir);
  return outs;
}

/** What kind of secret a needle is, without the file it belongs to. */
const kindOf = (label: string): string => label.replace(/ for .*$| \(.*\)$/, '');

/** Where in the text a leak sits: the JSON field it is in (with its parent), else the words before it. */
function channelOf(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 20_000), at);
  const keys = [...before.matchAll(/\\?"([A-Za-z_][\w-]*)\\?":/g)].map((m) => m[1]!);
  if (keys.length) return `field ${keys.slice(-2).join(' > ')}`;
  return `after ${JSON.stringify(
    before
      .slice(-50)
      .replace(/\s+/g, ' ')
      .replace(/[A-Za-z0-9+/=]{12,}/g, '…'),
  )}`;
}

const place = (where: string): string =>
  where
    .replace(/\/v1\/requests\/[0-9a-f-]+$/, '/v1/requests/:id')
    .replace(/page \d+$/, 'pages')
    .replace(/\/v1\/files\/[^/]+\/versions/, '/v1/files/:id/versions')
    .replace(/run \d+/, 'run');

/**
 * Each leak channel (kind of secret + the text that precedes it) and where it shows; the control token
 * may only be in the ready announcement.
 */
export function scanForSecrets(outputs: readonly Output[], secrets: readonly Needle[]): Violation[] {
  const found = new Map<string, { where: Set<string>; count: number }>();
  const candidates = candidateOutputs(outputs, secrets);
  for (const [i, s] of secrets.entries()) {
    for (const oi of candidates(i)) {
      const o = outputs[oi]!;
      let text = o.text;
      if (s.readyMayShow && o.readyText) text = text.split(o.readyText).join('');
      for (let at = text.indexOf(s.value); at >= 0; at = text.indexOf(s.value, at + s.value.length)) {
        const key = `${kindOf(s.label)}, ${channelOf(text, at)}`;
        const entry = found.get(key) ?? { where: new Set<string>(), count: 0 };
        entry.where.add(place(o.where));
        entry.count++;
        found.set(key, entry);
      }
    }
  }
  return [...found].map(([key, e]) => ({
    kind: 'secret' as const,
    message: `${key}: ${e.count} times, in ${[...e.where].join(', ')}`,
  }));
}

const RUN = /[A-Za-z0-9+/=]+/g;
const RUN_ONLY = /^[A-Za-z0-9+/=]+$/;

/**
 * Which outputs may hold each secret. Every secret is one run of base64/hex characters, so each output
 * is cut into such runs once and the distinct runs are matched against every secret; only outputs
 * holding a matching run are searched. (Thousands of secrets times thousands of outputs would
 * otherwise be billions of comparisons.) A secret of other characters is searched everywhere.
 */
function candidateOutputs(
  outputs: readonly Output[],
  secrets: readonly Needle[],
): (i: number) => Iterable<number> {
  const shortest = Math.min(...secrets.map((s) => s.value.length));
  const runs = new Map<string, number[]>();
  for (const [oi, o] of outputs.entries()) {
    for (const m of o.text.matchAll(RUN)) {
      if (m[0].length < shortest) continue;
      const list = runs.get(m[0]);
      if (!list) runs.set(m[0], [oi]);
      else if (list[list.length - 1] !== oi) list.push(oi);
    }
  }
  return (i) => {
    const value = secrets[i]!.value;
    if (!RUN_ONLY.test(value)) return outputs.keys();
    const hits = new Set<number>();
    for (const [run, where] of runs) if (run.includes(value)) for (const oi of where) hits.add(oi);
    return hits;
  };
}
