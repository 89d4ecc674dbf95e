// Personas are configurable: `serve --personas FILE` defines who exists, and `token --user` mints
// for the same people with the same rights (CheckFileInfo reports them).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServe } from '../helpers/cli-process';
import type { ServeHandle } from '../helpers/cli-process';
import { checkFileInfo, lock } from '../helpers/wopi-client';

let dir = '';
let serve: ServeHandle;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wb-personas-'));
  const file = path.join(dir, 'personas.json');
  await writeFile(
    file,
    JSON.stringify([
      { id: 'qa', name: 'Quinn QA', permissions: 'edit' },
      { id: 'reader', name: 'Rita Reader', permissions: 'view' },
    ]),
  );
  serve = await startServe({ files: { 'plan.wopitest': 'x' }, args: ['--personas', file] });
});

after(async () => {
  await serve?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('token --user names a configured persona, with its rights', async () => {
  const reader = await serve.tokenViaCli('plan.wopitest', { user: 'reader' });
  const info = (await checkFileInfo(reader)).json();
  assert.equal(info['UserId'], 'reader');
  assert.equal(info['UserFriendlyName'], 'Rita Reader');
  assert.equal(info['UserCanWrite'], false);
  assert.notEqual((await lock(reader, 'L')).status, 200, 'a view-only persona cannot lock');

  const qa = await serve.tokenViaCli('plan.wopitest', { user: 'Quinn QA' });
  const qaInfo = (await checkFileInfo(qa)).json();
  assert.equal(qaInfo['UserId'], 'qa');
  assert.equal(qaInfo['UserCanWrite'], true);
});

test('the control API lists the configured personas', async () => {
  const res = await fetch(`${serve.controlUrl}/v1/personas`, {
    headers: { authorization: `Bearer ${serve.controlToken}` },
  });
  const personas = (await res.json()) as Array<{ id: string }>;
  assert.deepEqual(
    personas.map((p) => p.id),
    ['qa', 'reader'],
  );
});
