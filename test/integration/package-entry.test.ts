// The package's main export as a library user gets it (`import ... from 'wopi-workbench'` under plain
// node, no tsx flag): the README's example mounts createWopiRouter in a fresh Express app and runs
// CheckFileInfo, Lock, PutFile, GetFile and Unlock through it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Result {
  status: number;
  myApp: string | null;
  body: string;
}

test('examples/mount-in-express.mjs runs the WOPI calls through the mounted router', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/mount-in-express.mjs'], {
    cwd: ROOT,
    timeout: 120_000,
    // Plain node, as a user runs it: nothing of the test runner's loader.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const out = JSON.parse(stdout) as { wopiSrc: string; results: Record<string, Result> };
  assert.match(out.wopiSrc, /^http:\/\/127\.0\.0\.1:\d+\/wopi-host\/wopi\/files\/[A-Za-z0-9]+$/);
  for (const [op, r] of Object.entries(out.results)) {
    assert.equal(r.status, 200, `${op}: ${r.body}`);
    assert.equal(r.myApp, 'audited', `${op} went through the app's own middleware`);
  }
  const info = JSON.parse(out.results['checkFileInfo']!.body) as {
    BaseFileName: string;
    HostViewUrl: string;
  };
  assert.equal(info.BaseFileName, 'hello.txt');
  assert.ok(info.HostViewUrl.includes('/wopi-host/host/'), 'host page URLs carry the mount path');
  assert.equal(out.results['getFile']!.body, 'Saved through my app');
});
