// File names at the edges (issue 9): names whose characters cannot go into a response header, and names
// that fit the 250-character FileNameMaxLength but not the file system's 255 bytes per name. Every answer
// is a protocol status (never a 500), every header the host writes is valid, and what goes on disk fits.
// In-process createWorkbench on port 0, real files and SQLite.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { decodeUtf7 } from '../../server/protocol/utf7';
import { engineForSuite, logged, uniqueName as uniq } from '../helpers/engine-fixture';
import {
  expectHeader,
  expectNonEmptyHeader,
  expectStatus,
  lock,
  putRelativeFile,
  renameFile,
  unlock,
} from '../helpers/wopi-client';
import type { WopiResponse } from '../helpers/wopi-client';
import { expectBaseFileName, expectContent } from '../helpers/wopi-expect';

const CONTENT = Buffer.from('bytes of the source document\n');
const NAME_MAX_BYTES = 255;
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** True when `s` has no lone surrogate (a name cut in the middle of a character). */
const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;

/** Every header the host sent is a valid header value (what node:http lets through to the client). */
function expectValidHeaders(res: WopiResponse): void {
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) {
      assert.match(v, /^[\t\x20-\x7e]*$/, `header ${name} is not printable ASCII\n${res.describe()}`);
    }
  }
}

describe('header values built from names the client sent', () => {
  const b = engineForSuite('wb-names-hdr-');

  it('RenameFile to a name that is only a dot and U+3000 (UTF-7 ".+MAA-"): 400 with X-WOPI-InvalidFileNameError, not 500', async () => {
    const rel = uniq('ideo');
    const t = await b.file(rel, CONTENT);
    const res = await renameFile(t, '.+MAA-', { rawName: true });
    expectStatus(res, 400, 'RenameFile to ".\\u3000"');
    expectValidHeaders(res);
    const why = expectNonEmptyHeader(res, 'X-WOPI-InvalidFileNameError');
    // The character is named, not dropped, so the person reading the log sees what was refused.
    assert.match(why, /\\u3000/, `the reason names the character\n${res.describe()}`);
    assert.equal(b.engine.files.get(t.id)!.path, rel, 'name unchanged');
    const rec = await logged(b.engine, res);
    assert.equal(rec.status, 400);
    assert.match(rec.why ?? '', /\u3000/, 'the request record keeps the real text');
  });

  it('RenameFile error reasons carrying any non-ASCII text stay valid headers', async () => {
    const t = await b.file(uniq('emoji'), CONTENT);
    for (const raw of ['.+2D3eAA-', '+2D3eAA-.', ' .+MAAwADAA- ']) {
      const res = await renameFile(t, raw, { rawName: true });
      assert.ok(res.status < 500, `RenameFile ${raw}: no 5xx\n${res.describe()}`);
      expectValidHeaders(res);
    }
  });

  it('PutRelativeFile 400 and 409 carry X-WOPI-ValidRelativeTarget as UTF-7 that decodes to a usable name', async () => {
    const src = await b.file(uniq('src'), CONTENT);
    const bad = await putRelativeFile(src, 'x', { relativeTarget: '文件:1.docx' });
    expectStatus(bad, 400, 'illegal name');
    expectValidHeaders(bad);
    assert.equal(decodeUtf7(expectNonEmptyHeader(bad, 'X-WOPI-ValidRelativeTarget')), '文件_1.docx');

    const existing = `档案 ${uniq('taken')}`;
    await b.file(existing, CONTENT);
    const taken = await putRelativeFile(src, 'x', { relativeTarget: existing });
    expectStatus(taken, 409, 'name taken');
    expectValidHeaders(taken);
    const alt = decodeUtf7(expectNonEmptyHeader(taken, 'X-WOPI-ValidRelativeTarget'));
    assert.equal(alt, existing.replace(/\.docx$/, ' (1).docx'));
  });

  it('a 1024-character lock id of every printable ASCII character is echoed exactly on a 409', async () => {
    const t = await b.file(uniq('lockid'), CONTENT);
    let id = '';
    for (let c = 0x20; id.length < 1024; c = c === 0x7e ? 0x20 : c + 1) id += String.fromCharCode(c);
    // A header value cannot start or end with a space (it would be trimmed on the way); keep the edges visible.
    id = `{${id.slice(1, -1)}}`;
    expectStatus(await lock(t, id), 200, 'Lock');
    const res = await renameFile(t, 'other', { lock: 'wrong' });
    expectStatus(res, 409);
    expectHeader(res, 'X-WOPI-Lock', id);
    expectValidHeaders(res);
    expectStatus(await unlock(t, id), 200, 'Unlock');
  });
});

describe('names longer than 255 UTF-8 bytes but within 250 characters', () => {
  const b = engineForSuite('wb-names-bytes-');
  // Each test gets its own names (a unique ASCII start), so files left by one test do not collide with the next.
  const cjk = (): string => `${uniq('c', '')}${'文'.repeat(100)}`; // ~100 characters, ~300 bytes
  const emoji = (): string => `${uniq('e', '')}${'😀'.repeat(70)}`; // 140+ UTF-16 units, 280+ bytes: a cut must not split a pair

  it('RenameFile derives a name that fits, cut on a character boundary; the extension stays', async () => {
    for (const requested of [cjk(), emoji()]) {
      const t = await b.file(uniq('long-rename'), CONTENT);
      const res = await renameFile(t, requested);
      expectStatus(res, 200, 'RenameFile with a 300-byte name');
      expectValidHeaders(res);
      const name = res.json()['Name'] as string;
      assert.ok(wellFormed(name), `Name ${JSON.stringify(name)} is cut inside a character`);
      assert.ok(requested.startsWith(name), 'Name is the requested name, cut');
      assert.ok(bytes(`${name}.docx`) <= NAME_MAX_BYTES, `${bytes(`${name}.docx`)} bytes`);
      assert.ok(bytes(`${name}.docx`) > NAME_MAX_BYTES - 4, 'cut no more than needed');
      await expectBaseFileName(t, `${name}.docx`, 'after the rename');
      assert.ok((await readdir(b.folder)).includes(`${name}.docx`));
      await expectContent(t, CONTENT, 'content kept');
    }
  });

  it('RenameFile to a long name that is taken: the " (n)" suffix still fits', async () => {
    const first = await b.file(uniq('long-a'), CONTENT);
    const second = await b.file(uniq('long-b'), CONTENT);
    const requested = cjk();
    const a = (await renameFile(first, requested)).json()['Name'] as string;
    const res = await renameFile(second, requested);
    expectStatus(res, 200);
    const name = res.json()['Name'] as string;
    assert.notEqual(name, a);
    assert.match(name, / \(1\)$/);
    assert.ok(bytes(`${name}.docx`) <= NAME_MAX_BYTES);
    assert.ok(wellFormed(name));
  });

  it('PutRelativeFile specific mode: 400 with a X-WOPI-ValidRelativeTarget that fits; nothing created', async () => {
    const src = await b.file(uniq('src'), CONTENT);
    const before = (await readdir(b.folder)).sort();
    for (const base of [cjk(), emoji()]) {
      const res = await putRelativeFile(src, 'new bytes', { relativeTarget: `${base}.docx` });
      expectStatus(res, 400, 'a 300-byte RelativeTarget');
      expectValidHeaders(res);
      const alt = decodeUtf7(expectNonEmptyHeader(res, 'X-WOPI-ValidRelativeTarget'));
      assert.ok(alt.endsWith('.docx') && bytes(alt) <= NAME_MAX_BYTES && wellFormed(alt), alt);
      assert.ok(base.startsWith(alt.slice(0, -'.docx'.length)));
      // The suggested name is usable as it is.
      const retry = await putRelativeFile(src, 'new bytes', { relativeTarget: alt });
      expectStatus(retry, 200, 'retry with X-WOPI-ValidRelativeTarget');
      assert.equal(retry.json()['Name'], alt);
      before.push(alt);
    }
    assert.deepEqual((await readdir(b.folder)).sort(), before.sort(), 'only the retried files were created');
  });

  it('PutRelativeFile suggested mode: a name cut to fit, the extension kept, also when it is taken', async () => {
    const src = await b.file(uniq('src'), CONTENT);
    const names: string[] = [];
    const suggested = `${emoji()}.docx`;
    for (let i = 0; i < 2; i++) {
      const res = await putRelativeFile(src, 'copy', { suggestedTarget: suggested });
      expectStatus(res, 200, 'suggested 280-byte name');
      const name = res.json()['Name'] as string;
      assert.ok(name.endsWith('.docx') && bytes(name) <= NAME_MAX_BYTES && wellFormed(name), name);
      names.push(name);
      assert.equal(await readFile(`${b.folder}/${name}`, 'utf8'), 'copy');
    }
    assert.notEqual(names[0], names[1]);
    assert.match(names[1]!, / \(1\)\.docx$/);
  });

  it('RenameFile inside a sub-folder with a long name works the same', async () => {
    await mkdir(b.abs('deep/er'), { recursive: true });
    const t = await b.file(`deep/er/${uniq('sub')}`, CONTENT);
    const res = await renameFile(t, cjk());
    expectStatus(res, 200);
    const name = res.json()['Name'] as string;
    assert.equal(b.engine.files.get(t.id)!.path, `deep/er/${name}.docx`);
  });
});

describe('names the host itself does not serve (Office lock files, backups, temporary and hidden files)', () => {
  const b = engineForSuite('wb-names-unserved-');
  /** What the host's own rules serve, said independently of them (the fuzz oracle's list). */
  const served = (name: string): boolean =>
    !(name.startsWith('~$') || name.startsWith('.') || name.endsWith('~') || name.endsWith('.tmp'));
  /** The listing, as the inspector shows it. */
  const listed = async (): Promise<string[]> => (await b.engine.index.list()).map((f) => f.path);

  it('PutRelativeFile specific mode: 400 with X-WOPI-InvalidFileNameError and a served X-WOPI-ValidRelativeTarget; nothing created', async () => {
    const src = await b.file(uniq('src'), CONTENT);
    const before = (await readdir(b.folder)).sort();
    for (const name of [
      '~$draft.docx',
      'draft.docx~',
      'draft.tmp',
      '.hidden.docx',
      '.wopi-workbench-0a1b.tmp',
    ]) {
      const res = await putRelativeFile(src, 'new bytes', { relativeTarget: name });
      expectStatus(res, 400, `RelativeTarget ${name}`);
      expectNonEmptyHeader(res, 'X-WOPI-InvalidFileNameError');
      const alt = decodeUtf7(expectNonEmptyHeader(res, 'X-WOPI-ValidRelativeTarget'));
      assert.ok(served(alt), `${name}: the suggestion ${JSON.stringify(alt)} is itself not served`);
      const retry = await putRelativeFile(src, 'new bytes', { relativeTarget: alt });
      expectStatus(retry, 200, `retry of ${name} with ${alt}`);
      before.push(alt);
    }
    assert.deepEqual((await readdir(b.folder)).sort(), before.sort(), 'only the retried files were created');
  });

  it('PutRelativeFile suggested mode: a served name, the extension kept, listed by the host', async () => {
    const src = await b.file(uniq('src'), CONTENT);
    const cases: Array<[string, RegExp]> = [
      ['~$draft.docx', /^draft( \(\d+\))?\.docx$/],
      ['draft.docx~', /^draft( \(\d+\))?\.docx$/],
      // A leading dot means "this extension" (PROTOCOL §6.1): the source's base name, served.
      ['.hidden.xlsx', /^src-\d+\.hidden\.xlsx$/],
      ['notes.tmp', /^notes( \(\d+\))?$/],
    ];
    for (const [suggested, expected] of cases) {
      const res = await putRelativeFile(src, 'copy', { suggestedTarget: suggested });
      expectStatus(res, 200, `SuggestedTarget ${suggested}`);
      const name = res.json()['Name'] as string;
      assert.match(name, expected, `SuggestedTarget ${suggested}`);
      assert.ok((await listed()).includes(name), `${name} is listed`);
    }
  });

  it('RenameFile to "~$draft" (or a name ending "~" or ".tmp", or starting with a dot): a served name, the file still listed', async () => {
    const docx = await b.file(uniq('ren'), CONTENT);
    const bare = await b.file(uniq('bare', ''), CONTENT); // no extension: the requested name is the whole name
    const cases: Array<[typeof docx, string, RegExp]> = [
      [docx, '~$draft', /^draft( \(\d+\))?$/],
      [docx, '.hidden', /^hidden( \(\d+\))?$/],
      [bare, 'notes~', /^notes( \(\d+\))?$/],
      [bare, 'notes.tmp', /^notes( \(\d+\))?$/],
    ];
    for (const [t, requested, expected] of cases) {
      const res = await renameFile(t, requested);
      expectStatus(res, 200, `RenameFile ${requested}`);
      const name = res.json()['Name'] as string;
      assert.match(name, expected, `RenameFile ${requested}`);
      const path = b.engine.files.get(t.id)!.path;
      assert.ok(served(path), `renamed to ${path}, which the host does not serve`);
      assert.ok((await listed()).includes(path), `${path} is listed`);
    }
  });
});
