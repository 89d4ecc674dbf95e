// The simulator's HTTP surface, as an Express app: /hosting/discovery, the action pages a host
// form-POSTs to, the per-session API those pages call (WOPI traffic is signed here, never in the
// browser), favicons. Express parses and bounds the bodies (413 past the limit, 400 on bad JSON).
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import express from 'express';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { renderActionPage, renderProblemPage } from './action-page';
import { SIMULATOR_APPS } from './discovery-xml';
import type { ClientSession } from './session';
import { parseMisbehaviours } from './wopi-client';
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
  /** Called when a request fails unexpectedly (answered 500). */
  onError?: (e: unknown) => void;
}

type ActionParams = { slug: string; action: string };
type SessionParams = { id: string; op: string };

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

/** The URL as received, for its query (kept as a URL: WOPISrc is matched in any case). */
function requestUrl(req: Request): URL {
  return new URL(req.originalUrl, 'http://simulator.invalid');
}

/** A form field (the first, if the form repeats it). */
function field(body: unknown, name: string): string | null {
  const value: unknown =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : null;
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

export function createSimulatorRoutes(deps: SimulatorRouteDeps): express.Express {
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

  /** The app and action exist and the page was form-POSTed; the form is parsed only then. */
  const actionCheck: RequestHandler<ActionParams> = (req, res, next) => {
    const { slug, action } = req.params;
    const app = SIMULATOR_APPS.find((a) => a.slug === slug);
    if (!app || !app.actions.includes(action))
      return problem(res, 404, 'No such action', `The simulator has no ${action} action for ${slug}.`);
    if (req.method !== 'POST') {
      const leaked = requestUrl(req).searchParams.has('access_token');
      return problem(
        res,
        405,
        'Open this action with a form POST',
        leaked
          ? 'The access token is in the URL. WOPI hosts must form-POST access_token and access_token_ttl to the action URL, targeting the iframe, so the token never appears in a URL.'
          : 'WOPI hosts load an action URL by form-POSTing access_token and access_token_ttl to it (PROTOCOL §10.1).',
      );
    }
    next();
  };

  function actionPage(req: Request<ActionParams>, res: Response): void {
    const { slug, action } = req.params;
    const app = SIMULATOR_APPS.find((a) => a.slug === slug)!;
    const url = requestUrl(req);
    const accessToken = field(req.body, 'access_token');
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
    const ttl = Number(field(req.body, 'access_token_ttl') ?? '');
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

  const json = (res: ServerResponse, status: number, body: unknown): void =>
    send(res, status, 'application/json', JSON.stringify(body));

  /** POST, JSON only (a cross-site form cannot send it without a CORS preflight, never granted), known session. */
  const sessionCheck: RequestHandler<SessionParams> = (req, res, next) => {
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return json(res, 415, { error: 'send application/json' });
    if (!sessions.has(req.params.id))
      return json(res, 404, { error: 'unknown or expired simulator session; reload the host page' });
    next();
  };

  async function sessionApi(req: Request<SessionParams>, res: Response): Promise<void> {
    const s = sessions.get(req.params.id)!.session;
    // An empty body is an empty request; express.json leaves req.body undefined then.
    const body: Record<string, unknown> =
      typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
    switch (req.params.op) {
      case 'open': {
        const r = await s.open();
        return json(res, 200, { ...r, steps: s.steps() });
      }
      case 'save': {
        const r = await s.save(typeof body['text'] === 'string' ? body['text'] : undefined);
        return json(res, 200, { ...r, steps: s.steps() });
      }
      case 'rename': {
        const name = typeof body['name'] === 'string' ? body['name'].trim() : '';
        if (!name) return json(res, 400, { error: 'give a new name' });
        const r = await s.rename(name);
        return json(res, 200, { ...r, steps: s.steps() });
      }
      case 'close': {
        const r = await s.close();
        return json(res, 200, { ...r, steps: s.steps() });
      }
      default:
        return json(res, 404, { error: `unknown operation ${req.params.op}` });
    }
  }

  /** Body-parser refusals keep their status (413, 400); anything else is ours, a 500. */
  const errors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const { status, type } = err as { status?: unknown; type?: unknown };
    const api = req.path.startsWith('/sim/api/');
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message =
        status === 413
          ? `request body larger than ${MAX_BODY_BYTES} bytes`
          : type === 'entity.parse.failed'
            ? `the body is not ${api ? 'JSON' : 'a form'}`
            : 'the body cannot be read';
      if (api) return json(res, status, { error: message });
      return problem(res, status, 'Bad request', message);
    }
    deps.onError?.(err);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`simulator error: ${err instanceof Error ? err.message : String(err)}\n`);
  };

  const app = express();
  // Routes as written: /sim/Word/edit/ is not /sim/word/edit. No ETags on no-store answers.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('etag', false);
  app.disable('x-powered-by');
  app.get('/hosting/discovery', (_req, res) =>
    send(res, 200, 'text/xml; charset=utf-8', deps.discoveryXml()),
  );
  app.get('/sim/favicon/:icon.svg', (req, res) => {
    const [letter, colour] = ICON[req.params.icon] ?? ['?', '#777'];
    send(res, 200, 'image/svg+xml', svgIcon(letter, colour), { 'cache-control': 'max-age=3600' });
  });
  app.all(
    '/sim/api/sessions/:id/:op',
    sessionCheck,
    express.json({ limit: MAX_BODY_BYTES, type: 'application/json' }),
    sessionApi,
  );
  app.all(
    '/sim/:slug/:action',
    actionCheck,
    // Whatever the content type: what matters is the access_token field, as a browser form sends it.
    express.urlencoded({ extended: false, limit: MAX_BODY_BYTES, type: () => true }),
    actionPage,
  );
  app.get('/', (_req, res) =>
    problem(res, 200, 'WOPI Workbench simulated client', 'Discovery is at /hosting/discovery.'),
  );
  app.use((req, res) => problem(res, 404, 'Not found', `${req.path} is not a simulator page.`));
  app.use(errors);
  return app;
}
