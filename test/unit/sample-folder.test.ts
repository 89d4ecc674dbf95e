// The writable sample copy shared by the CLI (`serve --samples`, `npm start`) and the desktop app:
// copied once, never overwritten, never half-copied.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../server/config/options';
import { ensureSampleFolder } from '../../server/config/sample-folder';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-samples-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

void test('copied once, and an existing copy with edits is left alone', async (t) => {
  const dir = tempDir(t);
  const source = path.join(dir, 'samples');
  fs.mkdirSync(path.join(source, 'nested'), { recursive: true });
  fs.writeFileSync(path.join(source, 'Welcome.docx'), 'v1');
  fs.writeFileSync(path.join(source, 'nested', 'b.xlsx'), 'b');
  const target = path.join(dir, 'ud', 'sample-folder');
  assert.equal(await ensureSampleFolder(source, target), target);
  assert.equal(fs.readFileSync(path.join(target, 'Welcome.docx'), 'utf8'), 'v1');
  assert.equal(fs.readFileSync(path.join(target, 'nested', 'b.xlsx'), 'utf8'), 'b');
  fs.writeFileSync(path.join(target, 'Welcome.docx'), 'edited by the person');
  fs.rmSync(path.join(target, 'nested'), { recursive: true });
  fs.writeFileSync(path.join(source, 'Welcome.docx'), 'v2');
  await ensureSampleFolder(source, target);
  assert.equal(fs.readFileSync(path.join(target, 'Welcome.docx'), 'utf8'), 'edited by the person');
  assert.equal(fs.existsSync(path.join(target, 'nested')), false, 'a deleted sample is not brought back');
  assert.deepEqual(fs.readdirSync(path.dirname(target)), ['sample-folder'], 'no staging folder left');
});

void test('a missing source still gives a usable empty folder', async (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, 'sample-folder');
  await ensureSampleFolder(path.join(dir, 'no-samples'), target);
  assert.deepEqual(fs.readdirSync(target), []);
});

void test('a file where the copy should go is a clear error, and is left as it was', async (t) => {
  const dir = tempDir(t);
  const target = path.join(dir, 'sample-folder');
  fs.writeFileSync(target, 'mine');
  await assert.rejects(ensureSampleFolder(dir, target), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /exists but is not a folder/);
    return true;
  });
  assert.equal(fs.readFileSync(target, 'utf8'), 'mine');
});
