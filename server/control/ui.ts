// The built inspector UI at '/', beside the API (same origin, same Host/Origin checks; no token: the
// page reads it from its URL fragment). Files come from express.static; what is ours is the caching
// policy, the page's security headers, the SPA fallback and the refusal to follow a link out of the
// UI folder.
import fsp from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import type { RequestHandler, Response, Router } from 'express';
import { ApiModelError } from '../api';

const UI_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

/**
 * A build asset named by its content (Vite's `assets/<name>-<hash>.<ext>`, the favicon included) never
 * changes under its name, so the browser may keep it; anything else, the page included, is
 * revalidated on every load (ETag / Last-Modified make that a 304), so a rebuilt UI loads at once.
 */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9.]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': UI_CSP,
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>WOPI Workbench</title></head>
<body style="font-family: system-ui, sans-serif; margin: 2rem">
<h1>WOPI Workbench</h1>
<p>The control API is running, but the inspector UI has not been built.</p>
<p>Run <code>npm run build:ui</code>, then restart the workbench.</p>
</body></html>
`;

function sendNotBuilt(res: Response, status: number): void {
  // Never kept: it must give way to the UI as soon as there is one.
  res
    .status(status)
    .set({ ...PAGE_HEADERS, 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' })
    .send(NOT_BUILT_PAGE);
}

const decodedPath = (p: string): string => {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new ApiModelError('bad-request', 'the path is not valid percent-encoding');
  }
};

const readOnly: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  res.setHeader('allow', 'GET, HEAD');
  throw new ApiModelError('method-not-allowed', `${req.method} is not allowed here; the UI is read-only`);
};

const checkPath: RequestHandler = (req, _res, next) => {
  if (decodedPath(req.path).includes('\0'))
    throw new ApiModelError('bad-request', 'the path contains a NUL byte');
  next();
};

/** Inside `root`, symlinks resolved (express.static would follow a link out of the folder). */
function confine(root: string): RequestHandler {
  const noSuchFile = (): ApiModelError => new ApiModelError('not-found', 'no such file');
  return async (req, _res, next) => {
    const abs = path.resolve(root, `.${decodedPath(req.path)}`);
    const lexical = path.relative(root, abs);
    if (lexical.startsWith('..') || path.isAbsolute(lexical)) throw noSuchFile();
    const real = await fsp.realpath(abs).catch(() => null);
    if (real === null) return next(); // nothing there: static finds nothing, the fallback decides
    const realRoot = await fsp.realpath(root);
    const back = path.relative(realRoot, real);
    if (back === '' || back.startsWith('..') || path.isAbsolute(back)) throw noSuchFile();
    next();
  };
}

export function uiRouter(uiDir: string | undefined): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.use(readOnly, checkPath);
  if (!uiDir) {
    router.use((_req, res) => sendNotBuilt(res, 200));
    return router;
  }
  const root = path.resolve(uiDir);
  const files = express.static(root, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders(res, file) {
      const rel = `/${path.relative(root, file).split(path.sep).join('/')}`;
      res.setHeader('cache-control', HASHED_ASSET.test(rel) ? IMMUTABLE : REVALIDATE);
      if (path.extname(file).toLowerCase() === '.html') res.set(PAGE_HEADERS);
    },
  });
  /** The page, for '/' and every client-side route; a UI folder without a build in it says so. */
  const page: RequestHandler = (req, res, next) => {
    req.url = '/index.html';
    void files(req, res, (err?: unknown) => (err ? next(err) : sendNotBuilt(res, 503)));
  };
  router.get(['/', '/index.html'], page);
  router.use(confine(root), files);
  // SPA fallback for client-side routes; a missing asset (it has an extension) stays a 404, so a
  // broken build shows as one instead of as HTML where a script was expected.
  router.use((req, res, next) => {
    const rel = decodedPath(req.path);
    if (path.extname(rel) !== '') throw new ApiModelError('not-found', `no UI file ${rel}`);
    page(req, res, next);
  });
  return router;
}
