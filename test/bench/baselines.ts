// The two baselines, run as `node -e` scripts: the same trivial jobs as the workbench's CheckFileInfo,
// GetFile and PutFile with nothing else around them.
import { spawnReady } from './processes';

/**
 * Baseline 1: node:http doing the same jobs with nothing else (prebuilt JSON, pipe, fsync+rename). The
 * argv layout (json, getPath, putPath) is shared with the Express baseline below.
 */
const BARE_NODE_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const [json, getPath, putPath] = process.argv.slice(1);
const body = Buffer.from(json);
let n = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url.startsWith('/info')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  } else if (req.method === 'GET' && req.url.startsWith('/contents')) {
    fs.stat(getPath, (e, st) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size });
      fs.createReadStream(getPath).pipe(res);
    });
  } else if (req.method === 'POST' && req.url.startsWith('/contents')) {
    const tmp = putPath + '.tmp' + (n++);
    const out = fs.createWriteStream(tmp);
    req.pipe(out);
    out.on('finish', async () => {
      const fh = await fsp.open(tmp, 'r+');
      await fh.sync();
      await fh.close();
      await fsp.rename(tmp, putPath);
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    });
  } else {
    res.writeHead(404).end();
  }
});
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
`;

/**
 * Baseline 2: a bare Express 5 app (the issue-10 HTTP layer) doing the same trivial work, so the report
 * separates what Express costs from what our logic costs. x-powered-by and ETag are off (the engine sends
 * neither); CheckFileInfo goes through res.json of the same object (serialised per request, as a real
 * handler would); GetFile/PutFile stream the same bytes the node:http baseline does, through Express
 * routing and its response object.
 */
const BARE_EXPRESS_SERVER = `
const express = require('express');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const [json, getPath, putPath] = process.argv.slice(1);
const info = JSON.parse(json);
let n = 0;
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/info', (req, res) => {
  res.json(info);
});
app.get('/contents', (req, res, next) => {
  fs.stat(getPath, (e, st) => {
    if (e) return next(e);
    res.status(200).set({ 'content-type': 'application/octet-stream', 'content-length': String(st.size) });
    fs.createReadStream(getPath).pipe(res);
  });
});
app.post('/contents', (req, res, next) => {
  const tmp = putPath + '.tmp' + (n++);
  const out = fs.createWriteStream(tmp);
  req.pipe(out);
  out.on('finish', async () => {
    try {
      const fh = await fsp.open(tmp, 'r+');
      await fh.sync();
      await fh.close();
      await fsp.rename(tmp, putPath);
      res.status(200).end();
    } catch (e) {
      next(e);
    }
  });
});
const server = app.listen(0, '127.0.0.1', () =>
  console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })),
);
server.requestTimeout = 0;
`;

/** Both baselines, answering with `infoJson` and streaming `getPath`; each writes its own PutFile file. */
export async function startBaselines(infoJson: string, getPath: string, putPath: (tag: string) => string) {
  const argv = (tag: string): string[] => [infoJson, getPath, putPath(tag)];
  const bareNode = await spawnReady(['-e', BARE_NODE_SERVER, ...argv('node')], 'url');
  const bareExpress = await spawnReady(['-e', BARE_EXPRESS_SERVER, ...argv('express')], 'url');
  return { bareNode, bareExpress };
}
