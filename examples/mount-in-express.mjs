// Mounts the workbench's WOPI host in your own Express app, behind your own middleware, and runs
// CheckFileInfo, Lock, PutFile, GetFile and Unlock through it.
//   node examples/mount-in-express.mjs            (a temp folder with hello.txt)
//   node examples/mount-in-express.mjs --keep     (leaves the server running; Ctrl+C stops it)
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { createWopiRouter, createWorkbench } from 'wopi-workbench';

const root = await mkdtemp(path.join(tmpdir(), 'wopi-mount-'));
const folder = path.join(root, 'docs');
await import('node:fs/promises').then((fs) => fs.mkdir(folder));
await writeFile(path.join(folder, 'hello.txt'), 'Hello from my app');

// Your app, your middleware: it runs before every WOPI call.
const app = express();
app.use((req, res, next) => {
  res.setHeader('x-my-app', 'audited');
  next();
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

// publicUrl is where clients reach the router (with the mount path): WOPISrc and proofs use it.
const workbench = createWorkbench({
  folder,
  dataDir: path.join(root, 'data'),
  publicUrl: `${base}/wopi-host`,
});
app.use('/wopi-host', createWopiRouter(workbench));

const { wopiSrc, accessToken } = await workbench.mintToken({ file: 'hello.txt', user: 'editor' });
const at = `access_token=${accessToken}`;
const call = async (url, init = {}) => {
  const r = await fetch(url, init);
  return { status: r.status, myApp: r.headers.get('x-my-app'), body: await r.text() };
};
const results = {
  checkFileInfo: await call(`${wopiSrc}?${at}`),
  lock: await call(`${wopiSrc}?${at}`, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': 'demo' },
  }),
  putFile: await call(`${wopiSrc}/contents?${at}`, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': 'demo' },
    body: 'Saved through my app',
  }),
  getFile: await call(`${wopiSrc}/contents?${at}`),
  unlock: await call(`${wopiSrc}?${at}`, {
    method: 'POST',
    headers: { 'X-WOPI-Override': 'UNLOCK', 'X-WOPI-Lock': 'demo' },
  }),
};
console.log(JSON.stringify({ wopiSrc, results }, null, 2));

if (!process.argv.includes('--keep')) {
  server.close();
  await workbench.stop();
}
