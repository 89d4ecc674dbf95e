// The built inspector UI, served at '/' by the control listener (so it shares the API's origin and
// its Host/Origin checks). No token needed: the page reads the token from its URL fragment.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ControlError } from './errors';

export const UI_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * A build asset named by its content (Vite's `assets/<name>-<hash>.<ext>`, the favicon included) never
 * changes under its name, so the browser may keep it; anything else is revalidated on every load.
 */
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9.]+$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': UI_CSP,
  'x-content-type-options': 'nosniff',
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

/** Inside `root` after resolving symlinks, or null. */
async function insideRoot(root: string, abs: string): Promise<string | null> {
  try {
    const [realRoot, real] = await Promise.all([fsp.realpath(root), fsp.realpath(abs)]);
    const back = path.relative(realRoot, real);
    return back === '' || back.startsWith('..') || path.isAbsolute(back) ? null : real;
  } catch {
    return null;
  }
}

export function createStaticUi(uiDir: string | undefined) {
  const root = uiDir ? path.resolve(uiDir) : undefined;

  async function sendIndex(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let html: Buffer;
    let status = 200;
    try {
      if (!root) throw new Error('no UI dir');
      html = await fsp.readFile(path.join(root, 'index.html'));
    } catch {
      html = Buffer.from(NOT_BUILT_PAGE, 'utf8');
      status = root ? 503 : 200;
    }
    res.writeHead(status, { ...PAGE_HEADERS, 'content-length': String(html.length) });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  async function sendFile(
    req: IncomingMessage,
    res: ServerResponse,
    rel: string,
    abs: string,
    size: number,
  ): Promise<void> {
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(abs).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(size),
      'cache-control': HASHED_ASSET.test(rel) ? IMMUTABLE : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(fs.createReadStream(abs), res);
  }

  return async function serveUi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new ControlError(
        'method-not-allowed',
        `${req.method ?? ''} is not allowed here; the UI is read-only`,
        {
          allow: 'GET, HEAD',
        },
      );
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      throw new ControlError('bad-request', 'the path is not valid percent-encoding');
    }
    if (rel.includes('\0')) throw new ControlError('bad-request', 'the path contains a NUL byte');
    if (!root || rel === '/' || rel === '/index.html') return sendIndex(req, res);

    const abs = path.resolve(root, `.${rel}`);
    const lexical = path.relative(root, abs);
    if (lexical.startsWith('..') || path.isAbsolute(lexical))
      throw new ControlError('not-found', 'no such file');
    const real = await insideRoot(root, abs);
    const st = real ? await fsp.stat(real).catch(() => null) : null;
    if (real && st?.isFile()) return sendFile(req, res, rel, real, st.size);
    // SPA fallback for client-side routes; a missing asset (it has an extension) stays a 404, so a
    // broken build shows as one instead of as HTML where a script was expected.
    if (path.extname(rel) !== '') throw new ControlError('not-found', `no UI file ${rel}`);
    return sendIndex(req, res);
  };
}
