import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkName, sanitizeBase, splitExt, uniqueName } from '../../server/wopi/names';
import { decodeUtf7, encodeUtf7, Utf7Error } from '../../server/wopi/utf7';

test('UTF-7 decodes what WOPI clients send', () => {
  assert.equal(decodeUtf7('madeup+AF8-name.wopitestx'), 'madeup_name.wopitestx');
  assert.equal(decodeUtf7('+ZYdO9g-1.docx'), '文件1.docx');
  assert.equal(decodeUtf7('a+-b'), 'a+b');
  assert.equal(decodeUtf7('R+AOk-sum+AOk-.docx'), 'Résumé.docx');
  assert.equal(decodeUtf7('+2D3eAA-.docx'), '😀.docx');
  assert.equal(decodeUtf7('plain name.txt'), 'plain name.txt');
});

test('malformed UTF-7 is an error, not a mangled name', () => {
  for (const bad of ['abc+', 'x+A-', '+ZZZ', 'caf\u00e9', '+2D0-']) {
    assert.throws(() => decodeUtf7(bad), Utf7Error, bad);
  }
});

test('UTF-7 round-trips and encodes "_" like .NET does', () => {
  for (const s of ['Résumé 😀 файл.docx', 'a+b', 'x_y']) assert.equal(decodeUtf7(encodeUtf7(s)), s);
  assert.equal(encodeUtf7('madeup_name'), 'madeup+AF8-name');
});

test('name rules', () => {
  assert.deepEqual(splitExt('a.b.docx'), { base: 'a.b', ext: '.docx' });
  assert.deepEqual(splitExt('.hidden'), { base: '.hidden', ext: '' });
  assert.equal(checkName('ok name.docx').ok, true);
  for (const bad of ['a/b.docx', 'a:b', 'con.txt', 'x.', '.x', '', 'a\u0001b', `${'x'.repeat(251)}.docx`]) {
    assert.equal(checkName(bad).ok, false, bad);
  }
  assert.equal(sanitizeBase('a/b:c'), 'a_b_c');
  assert.equal(sanitizeBase('...'), 'Untitled');
  assert.equal(sanitizeBase('x'.repeat(400)).length, 250);
});

test('uniqueName numbers until free', async () => {
  const taken = new Set(['doc.docx', 'doc (1).docx']);
  assert.equal(await uniqueName('doc', '.docx', (n) => Promise.resolve(taken.has(n))), 'doc (2).docx');
});
