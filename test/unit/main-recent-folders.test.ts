import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MAX_RECENT_FOLDERS,
  addRecentFolder,
  loadRecentFolders,
  removeRecentFolder,
  saveRecentFolders,
} from '../../main/recent-folders';
import { chooseStartupFolder } from '../../main/startup-folder';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-recent-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const abs = (p: string): string => path.resolve('/', p);

void test('adding moves a folder to the front without duplicates', () => {
  let list: string[] = [];
  list = addRecentFolder(list, abs('a'));
  list = addRecentFolder(list, abs('b'));
  list = addRecentFolder(list, abs('a/../a'));
  assert.deepEqual(list, [abs('a'), abs('b')]);
});

void test('the list is capped, dropping the oldest', () => {
  let list: string[] = [];
  for (let i = 0; i < MAX_RECENT_FOLDERS + 3; i++) list = addRecentFolder(list, abs(`f${i}`));
  assert.equal(list.length, MAX_RECENT_FOLDERS);
  assert.equal(list[0], abs(`f${MAX_RECENT_FOLDERS + 2}`));
  assert.equal(list.includes(abs('f0')), false);
});

void test('remove takes a folder out', () => {
  assert.deepEqual(removeRecentFolder([abs('a'), abs('b')], abs('a')), [abs('b')]);
});

void test('recent folders round-trip; relative or non-string entries make the file corrupt and kept aside', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'recent-folders.json');
  saveRecentFolders(file, [abs('x'), abs('y')]);
  assert.deepEqual(loadRecentFolders(file), { kind: 'ok', value: [abs('x'), abs('y')] });
  fs.writeFileSync(file, JSON.stringify({ version: 1, folders: ['relative/path'] }));
  const bad = loadRecentFolders(file, () => 42);
  assert.equal(bad.kind, 'corrupt');
  assert.ok(fs.existsSync(`${file}.corrupt-42`));
  fs.writeFileSync(file, JSON.stringify({ version: 1, folders: [7] }));
  assert.equal(loadRecentFolders(file, () => 43).kind, 'corrupt');
});

void test('startup: a folder argument wins and is resolved against the cwd', (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'docs'));
  assert.deepEqual(chooseStartupFolder('docs', [dir], dir), {
    kind: 'folder',
    folder: path.join(dir, 'docs'),
    source: 'argument',
  });
});

void test('startup: a folder argument that does not exist is an error, not a silent fallback', (t) => {
  const dir = tempDir(t);
  const choice = chooseStartupFolder('missing', [dir], dir);
  assert.equal(choice.kind, 'invalid-argument');
  assert.ok(choice.kind === 'invalid-argument' && choice.message.includes(path.join(dir, 'missing')));
});

void test('startup: the most recent folder that still exists is reopened', (t) => {
  const dir = tempDir(t);
  const alive = path.join(dir, 'alive');
  fs.mkdirSync(alive);
  assert.deepEqual(chooseStartupFolder(undefined, [path.join(dir, 'gone'), alive], dir), {
    kind: 'folder',
    folder: alive,
    source: 'recent',
  });
});

void test('startup: first run asks; so does a list whose folders are all gone', (t) => {
  const dir = tempDir(t);
  assert.deepEqual(chooseStartupFolder(undefined, [], dir), { kind: 'ask', reason: 'first-run' });
  assert.deepEqual(chooseStartupFolder(undefined, [path.join(dir, 'gone')], dir), {
    kind: 'ask',
    reason: 'recent-missing',
  });
});
