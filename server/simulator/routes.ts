// The simulator's HTTP surface: /hosting/discovery, the action pages a host form-POSTs to, the
// per-session API those pages call (WOPI traffic is signed here, never in the browser), favicons.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { renderActionPage, renderProblemPage } from './action-page';
import { SIMULATOR_APPS } from './discovery-xml';
import type { ClientSession } from './session';
import { parseMisbehaviours, SimulatorError } from './wopi-client';
import type { Misbehaviour } from './wopi-client';

export interface PageSession {
  id: string;
  session: ClientSession;
  createdAt: number;
}

export interface SimulatorRouteDeps {
  discoveryXml(): string;
  /** Misbehaviours applied to every new page session (set through the simulator API). */
  stickyMisbehaviour(): readonly Misbehaviour[];
  newSession(p: {
    wopiSrc: string;
    accessToken: string;
    action: string;
    misbehave: Misbehaviour[];
  }): ClientSession;
  clock: () => number;
}

const MAX_SESSIONS = 200;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
}

function problem(res: ServerResponse, status: number, title: string, detail: string): void {
  send(res, status, 'text/html; charset=utf-8', renderProblemPage(title, detail));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new SimulatorError('bad-request', `request body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The WOPISrc query parameter, whatever its case (hosts write WOPISrc, wopisrc, WopiSrc). */
function wopiSrcOf(url: URL): string | null {
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === 'wopisrc' && v) return v;
  return null;
}

function svgIcon(letter: string, colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="${colour}"/><text x="16" y="23" font-family="sans-serif" font-size="19" font-weight="bold" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
}

const ICON: Record<string, [string, string]> = {
  word: ['W', '#185abd'],
  excel: ['X', '#107c41'],
  powerpoint: ['P', '#c43e1c'],
  wopitest: ['T', '#5c2d91'],
  text: ['A', '#4a5562'],
};

export function createSimulatorRoutes(deps: SimulatorRouteDeps) {
  const sessions = new Map<string, PageSession>();

  function remember(session: ClientSession): PageSession {
    const id = randomBytes(16).toString('hex');
    const entry = { id, session, createdAt: deps.clock() };
    sessions.set(id, entry);
    // Oldest first in a Map: bounded memory however many pages are opened.
    for (const key of sessions.keys()) {
      if (sessions.size <= MAX_SESSIONS) break;
      sessions.delete(key);
    }
    return entry;
  }

  async function actionPage(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    slug: string,
    action: string,
  ): Promise<void> {
    const app = SIMULATOR_APPS.find((a) => a.slug === slug);
    if (!app || !app.actions.includes(action))
      return problem(res, 404, 'No such action', `The simulator has no ${action} action for ${slug}.`);
    if (req.method !== 'POST') {
      const leaked = url.searchParams.has('access_token');
      return problem(
        res,
        405,
        'Open this action with a form POST',
        leaked
          ? 'The access token is in the URL. WOPI hosts must form-POST access_token and access_token_ttl to the action URL, targeting the iframe, so the token never appears in a URL.'
          : 'WOPI hosts load an action URL by form-POSTing access_token and access_token_ttl to it (PROTOCOL §10.1).',
      );
    }
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const accessToken = form.get('access_token');
    const wopiSrc = wopiSrcOf(url);
    if (!accessToken)
      return problem(res, 400, 'No access_token', 'The form POST carried no access_token field.');
    if (!wopiSrc)
      return problem(
        res,
        400,
        'No WOPISrc',
        'The action URL has no WOPISrc: the host did not fill the WOPI_SOURCE placeholder.',
      );
    const ttl = Number(form.get('access_token_ttl') ?? '');
    let misbehave: Misbehaviour[];
    try {
      misbehave = [
        ...new Set([...deps.stickyMisbehaviour(), ...parseMisbehaviours(url.searchParams.get('misbehave'))]),
      ];
    } catch (err) {
      return problem(res, 400, 'Unknown misbehaviour', (err as Error).message);
    }
    const entry = remember(deps.newSession({ wopiSrc, accessToken, action, misbehave }));
    const nonce = randomBytes(16).toString('base64');
    const html = renderActionPage(
      { sessionId: entry.id, app: app.name, action, api: `/sim/api/sessions/${entry.id}`, misbehave },
      nonce,
    );
    const warnings: Record<string, string> = {};
    // access_token_ttl is epoch ms; a duration or seconds makes Office say "session expired" (PITFALLS 20).
    if (!Number.isFinite(ttl) || ttl < deps.clock())
      warnings['x-simulator-warning'] = 'access_token_ttl is not a future epoch-ms time';
    send(res, 200, 'text/html; charset=utf-8', html, {
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'`,
      'x-usersessionid': entry.id,
      ...warnings,
    });
  }

  async function sessionApi(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    op: string,
  ): Promise<void> {
    const json = (status: number, body: unknown): void =>
      send(res, status, 'application/json', JSON.stringify(body));
    if (req.method !== 'POST') return json(405, { error: 'POST only' });
    // JSON only: a cross-site form cannot send it without a CORS preflight, which is never granted.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return json(415, { error: 'send application/json' });
    const entry = sessions.get(id);
    if (!entry) return json(404, { error: 'unknown or expired simulator session; reload the host page' });
    let body: Record<string, unknown> = {};
    const raw = (await readBody(req)).toString('utf8');
    try {
      if (raw) body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(400, { error: 'body is not JSON' });
    }
    const s = entry.session;
    switch (op) {
      case 'open': {
        const r = await s.open();
        return json(200, { ...r, steps: s.steps() });
      }
      case 'save': {
        const r = await s.save(typeof body['text'] === 'string' ? body['text'] : undefined);
        return json(200, { ...r, steps: s.steps() });
      }
      case 'rename': {
        const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
        if (!name) return json(400, { error: 'give a new name' });
        const r = await s.rename(name);
        return json(200, { ...r, steps: s.steps() });
      }
      case 'close': {
        const r = await s.close();
        return json(200, { ...r, steps: s.steps() });
      }
      default:
        return json(404, { error: `unknown operation ${op}` });
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const p = url.pathname;
    if (p === '/hosting/discovery') {
      return send(res, 200, 'text/xml; charset=utf-8', deps.discoveryXml());
    }
    const icon = /^\/sim\/favicon\/([a-z]+)\.svg$/.exec(p);
    if (icon) {
      const [letter, colour] = ICON[icon[1]!] ?? ['?', '#777'];
      return send(res, 200, 'image/svg+xml', svgIcon(letter, colour), { 'cache-control': 'max-age=3600' });
    }
    const api = /^\/sim\/api\/sessions\/([0-9a-f]{32})\/([a-z]+)$/.exec(p);
    if (api) return sessionApi(req, res, api[1]!, api[2]!);
    const page = /^\/sim\/([a-z]+)\/([a-z]+)$/.exec(p);
    if (page) return actionPage(req, res, url, page[1]!, page[2]!);
    if (p === '/' || p === '') {
      return problem(res, 200, 'WOPI Workbench simulated client', 'Discovery is at /hosting/discovery.');
    }
    return problem(res, 404, 'Not found', `${p} is not a simulator page.`);
  };
}
