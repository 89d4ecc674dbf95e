import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkName,
  cutToFit,
  NAME_MAX_BYTES,
  NoFreeNameError,
  sanitizeBase,
  splitExt,
  uniqueName,
  usableExt,
} from '../../server/wopi/names';
import { decodeUtf7, encodeUtf7, Utf7Error } from '../../server/protocol/utf7';

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
  assert.equal(sanitizeBase('...'), '', 'nothing usable is left: the caller decides (400, or a default)');
  assert.equal(sanitizeBase('. \u3000 .'), '');
  assert.equal(sanitizeBase('x'.repeat(400)).length, 250);
});

test('uniqueName numbers until free', async () => {
  const taken = new Set(['doc.docx', 'doc (1).docx']);
  assert.equal(await uniqueName('doc', '.docx', (n) => Promise.resolve(taken.has(n))), 'doc (2).docx');
});

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

test('the file-system limit is 255 UTF-8 bytes per name, extension included', () => {
  const cjk = '文'.repeat(84); // 84 characters, 252 bytes
  assert.equal(checkName(`${cjk}.txt`).ok, false, '256 bytes');
  assert.match((checkName(`${cjk}.txt`) as { reason: string }).reason, /256 bytes/);
  assert.equal(checkName(`${cjk}.tx`).ok, true, '255 bytes');
  assert.equal(checkName(`${'x'.repeat(250)}.docx`).ok, true, '255 ASCII bytes');
});

test('cutToFit cuts between characters, never inside a pair or between a letter and its accent', () => {
  assert.equal(cutToFit('😀😀😀', 250, 10), '😀😀');
  assert.equal(cutToFit('😀😀😀', 5, 255), '😀😀');
  assert.equal(cutToFit('e\u0301e\u0301', 250, 4), 'e\u0301', 'é as e + combining acute stays whole');
  assert.equal(cutToFit('short', 250, 255), 'short');
});

test('sanitizeBase fits the base next to its extension', () => {
  const base = sanitizeBase('文'.repeat(100), '.docx');
  assert.equal(base, '文'.repeat(83));
  assert.ok(bytes(`${base}.docx`) <= NAME_MAX_BYTES);
  assert.equal(sanitizeBase(`${'x'.repeat(300)}`).length, 250, 'the character limit still applies');
  assert.equal(sanitizeBase(`ab${'文'.repeat(84)}`, '.x'), `ab${'文'.repeat(83)}`);
});

test('uniqueName keeps every candidate within both limits, the suffix included', async () => {
  const base = '😀'.repeat(62); // 248 bytes
  const taken = new Set<string>();
  const seen: string[] = [];
  for (let i = 0; i < 12; i++) {
    const name = await uniqueName(base, '.docx', (n) => Promise.resolve(taken.has(n)));
    assert.ok(bytes(name) <= NAME_MAX_BYTES, `${bytes(name)} bytes: ${name}`);
    assert.equal(Buffer.from(name, 'utf8').toString('utf8'), name, 'no lone surrogate');
    taken.add(name);
    seen.push(name);
  }
  assert.match(seen[11]!, / \(11\)\.docx$/);
  // A base cut to make room does not end in a dot or a space.
  assert.equal(
    await uniqueName(`${'x'.repeat(246)} .`, '.docx', (n) => Promise.resolve(n.endsWith(' ..docx'))),
    `${'x'.repeat(246)} (1).docx`,
  );
});

test('uniqueName says so when no name can fit', async () => {
  await assert.rejects(
    uniqueName('x', '.'.padEnd(255, 'e'), () => Promise.resolve(false)),
    NoFreeNameError,
  );
});

test('usableExt keeps an extension only when a name still fits beside it', () => {
  assert.equal(usableExt('.docx'), '.docx');
  assert.equal(usableExt('.a:b'), '');
  assert.equal(usableExt(`.${'e'.repeat(240)}`), '');
});

test('names the host does not serve are refused, and sanitized into served ones', () => {
  for (const bad of [
    '~$draft.docx',
    'draft.docx~',
    'draft.tmp',
    '.wopi-workbench-0a1b.tmp',
    '.~lock.a.docx#',
  ])
    assert.equal(checkName(bad).ok, false, bad);
  assert.match((checkName('~$draft.docx') as { reason: string }).reason, /lock files/);
  assert.equal(checkName('draft~.docx').ok, true, 'a "~" inside the name is fine');
  assert.equal(checkName('a.tmp.docx').ok, true);
  assert.equal(sanitizeBase('~$draft', '.docx'), 'draft');
  assert.equal(sanitizeBase('~$~$draft~~', ''), 'draft');
  assert.equal(sanitizeBase('notes.tmp', ''), 'notes');
  assert.equal(sanitizeBase('notes.tmp', '.docx'), 'notes.tmp', 'followed by an extension it is served');
  assert.equal(usableExt('.docx~'), '.docx');
  assert.equal(usableExt('.tmp'), '');
});
