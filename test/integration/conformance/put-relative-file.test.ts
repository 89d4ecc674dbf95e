// Validator group PutRelativeFile (wopi-validator-core TestCases.xml), black-box against
// `wopi-workbench serve`, plus checks the validator leaves implicit: the returned Url opens the new file,
// Name is the decoded name, the file on disk carries that name, and refused requests write nothing.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  LOCK,
  TEST_TIMEOUT,
  cleanupCreatedAfterEach,
  expectPrerequisites,
  isAbsoluteHttpUrl,
  serveForSuite,
} from '../../helpers/conformance';
import {
  checkFileInfo,
  expectHeader,
  expectStatus,
  lock,
  putRelativeFile,
  targetFromUrl,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { PutRelativeOptions, WopiResponse, WopiTarget } from '../../helpers/wopi-client';
import { expectBaseFileName, expectContent } from '../../helpers/wopi-expect';

const SOURCE_FILE = 'put-relative.wopitest';
const LONG_NAME = `${'longwopitestfilename'.repeat(26)}.wopitestx`;

const fx = serveForSuite({ files: { [SOURCE_FILE]: validatorDocuments.wordBlank } }, { source: SOURCE_FILE });
const created = cleanupCreatedAfterEach(fx, SOURCE_FILE);

async function putRelative(
  options: PutRelativeOptions,
  body = validatorDocuments.wordSimple,
): Promise<WopiResponse> {
  const res = await putRelativeFile(fx.source, body, options);
  if (res.status === 200) {
    try {
      const url = res.json()['Url'];
      if (typeof url === 'string') created.add(targetFromUrl(url));
    } catch {
      // Shape problems are reported by the assertions of the test itself.
    }
  }
  return res;
}

interface Created {
  name: string;
  url: string;
  target: WopiTarget;
  body: Record<string, unknown>;
}

/** The validator's checks on a successful PutRelativeFile: Name, Url (absolute, with access_token), Host*Url. */
function expectCreated(
  res: WopiResponse,
  name: { exact?: string; endsWith?: string },
  what = 'PutRelativeFile',
): Created {
  expectStatus(res, 200, what);
  const body = res.json();
  const actualName = body['Name'];
  assert.ok(typeof actualName === 'string' && actualName !== '', `${what}: Name required\n${res.describe()}`);
  if (name.exact !== undefined) assert.equal(actualName, name.exact, `${what}: Name\n${res.describe()}`);
  if (name.endsWith !== undefined) {
    assert.ok(
      actualName.endsWith(name.endsWith),
      `${what}: Name must end with ${name.endsWith}\n${res.describe()}`,
    );
  }
  const url = body['Url'];
  assert.ok(isAbsoluteHttpUrl(url), `${what}: Url must be an absolute URL\n${res.describe()}`);
  assert.ok(
    new URL(url).searchParams.get('access_token'),
    `${what}: Url must carry access_token\n${res.describe()}`,
  );
  for (const hostUrl of ['HostViewUrl', 'HostEditUrl']) {
    const value = body[hostUrl];
    if (value === undefined || value === '') continue;
    assert.ok(isAbsoluteHttpUrl(value), `${what}: ${hostUrl} must be absolute\n${res.describe()}`);
  }
  return { name: actualName, url, target: targetFromUrl(url), body };
}

/** CheckFileInfo, then a new file named exactly madeupname.wopitestx (RelativeName and the conflict cases). */
async function createMadeUpName(): Promise<Created> {
  expectStatus(await checkFileInfo(fx.source), 200);
  return expectCreated(await putRelative({ relativeTarget: 'madeupname.wopitestx' }), {
    exact: 'madeupname.wopitestx',
  });
}

async function expectOpens(file: Created, content: Buffer): Promise<void> {
  await expectBaseFileName(file.target, file.name, 'the returned Url');
  await expectContent(file.target, content, 'the returned Url');
}

void describe('PutRelativeFile', () => {
  void it(
    'prerequisites: FileEditingPrereq, UserCanWriteRelativePrereq, LocksPrereq, DeleteFilePrereq',
    TEST_TIMEOUT,
    async () => {
      await expectPrerequisites(fx.source, {
        SupportsUpdate: true,
        UserCanNotWriteRelative: false,
        SupportsLocks: true,
        SupportsDeleteFile: true,
      });
    },
  );

  // CheckFileInfo, then one PutRelativeFile that must create a file named as expected (which then opens).
  const creates: Array<[string, PutRelativeOptions, { exact?: string; endsWith?: string }, boolean]> = [
    [
      'PutRelativeFile.SuggestedExtension',
      { suggestedTarget: '.wopitestx' },
      { endsWith: '.wopitestx' },
      true,
    ],
    [
      'PutRelativeFile.SuggestedName',
      { suggestedTarget: 'madeupname.wopitest' },
      { endsWith: 'wopitest' },
      true,
    ],
    [
      'PutRelativeFile.RelativeNameOverwriteTrueNoEffect',
      { relativeTarget: 'madeupname.wopitestx', overwriteRelativeTarget: true },
      { exact: 'madeupname.wopitestx' },
      false,
    ],
    [
      'PutRelativeFile.RelativeNameOverwriteFalseNoEffect',
      { relativeTarget: 'madeupname.wopitestx', overwriteRelativeTarget: false },
      { exact: 'madeupname.wopitestx' },
      false,
    ],
  ];
  for (const [title, options, name, opens] of creates) {
    void it(title, TEST_TIMEOUT, async () => {
      expectStatus(await checkFileInfo(fx.source), 200);
      const file = expectCreated(await putRelative(options), name);
      if (opens) await expectOpens(file, validatorDocuments.wordSimple);
    });
  }

  void it('PutRelativeFile.SuggestedNameConflict: the host picks another name', TEST_TIMEOUT, async () => {
    expectStatus(await checkFileInfo(fx.source), 200);
    const first = expectCreated(await putRelative({ suggestedTarget: 'madeupname.wopitest' }), {
      endsWith: 'wopitest',
    });
    const second = expectCreated(
      await putRelative({ suggestedTarget: 'madeupname.wopitest' }, validatorDocuments.wordComplex),
      { endsWith: 'wopitest' },
      'second PutRelativeFile',
    );
    assert.notEqual(second.name, first.name, 'suggested mode must not reuse an existing name');
    assert.notEqual(second.target.wopiSrc, first.target.wopiSrc, 'two new files need two file ids');
    await expectOpens(first, validatorDocuments.wordSimple);
    await expectOpens(second, validatorDocuments.wordComplex);
  });

  void it('PutRelativeFile.RelativeName: exact name', TEST_TIMEOUT, async () => {
    const file = await createMadeUpName();
    await expectOpens(file, validatorDocuments.wordSimple);
    assert.notEqual(file.target.wopiSrc, fx.source.wopiSrc, 'the new file needs its own id');
  });

  for (const [title, overwrite] of [
    ['PutRelativeFile.RelativeNameConflictNoOverwrite', undefined],
    ['PutRelativeFile.RelativeNameConflictOverwriteFalse', false],
  ] as const) {
    void it(`${title}: 409, existing file untouched`, TEST_TIMEOUT, async () => {
      const existing = await createMadeUpName();
      const options: PutRelativeOptions = { relativeTarget: 'madeupname.wopitestx' };
      if (overwrite !== undefined) options.overwriteRelativeTarget = overwrite;
      expectStatus(await putRelative(options, validatorDocuments.wordComplex), 409, 'second PutRelativeFile');
      await expectOpens(existing, validatorDocuments.wordSimple);
    });
  }

  void it(
    'PutRelativeFile.RelativeNameConflictOverwriteTrue: replaces, new Url opens',
    TEST_TIMEOUT,
    async () => {
      await createMadeUpName();
      const replaced = expectCreated(
        await putRelative(
          { relativeTarget: 'madeupname.wopitestx', overwriteRelativeTarget: true },
          validatorDocuments.wordComplex,
        ),
        { endsWith: '.wopitestx' },
        'overwriting PutRelativeFile',
      );
      expectStatus(await checkFileInfo(replaced.target), 200, 'CheckFileInfo on NewUrl2');
      await expectOpens(replaced, validatorDocuments.wordComplex);
    },
  );

  void it('PutRelativeFile.ConflictingHeaders: 400 or 501', TEST_TIMEOUT, async () => {
    expectStatus(await checkFileInfo(fx.source), 200);
    const res = await putRelative({
      suggestedTarget: 'madeupname.wopitestx',
      relativeTarget: 'madeupname.wopitestx',
    });
    expectStatus(res, [400, 501]);
  });

  void it(
    'PutRelativeFile.RelativeNameConflictOverwriteTrueLocked: 409 with the target lock',
    TEST_TIMEOUT,
    async () => {
      const existing = await createMadeUpName();
      expectStatus(await lock(existing.target, LOCK), 200, 'Lock on NewUrl');
      const res = await putRelative(
        { relativeTarget: 'madeupname.wopitestx', overwriteRelativeTarget: true },
        validatorDocuments.wordComplex,
      );
      expectStatus(res, 409, 'overwrite onto a locked file');
      // PROTOCOL §6.1: the 409 carries the existing target's lock.
      expectHeader(res, 'X-WOPI-Lock', LOCK, 'overwrite onto a locked file');
      await expectOpens(existing, validatorDocuments.wordSimple);
    },
  );

  void it(
    'PutRelativeFile.FileNameReturnedIsCorrectlyEncoded: madeup_name arrives as madeup+AF8-name',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await checkFileInfo(fx.source), 200);
      const res = await putRelative({ relativeTarget: 'madeup_name.wopitestx' });
      assert.equal(res.request.headers['X-WOPI-RelativeTarget'], 'madeup+AF8-name.wopitestx');
      const file = expectCreated(res, { exact: 'madeup_name.wopitestx' });
      await expectOpens(file, validatorDocuments.wordSimple);
      assert.ok(
        (await readdir(fx.serve.folder)).includes('madeup_name.wopitestx'),
        'file on disk has the decoded name',
      );
    },
  );

  void it('PutRelativeFile.FileNameLongerThan512Chars: 200 or 400', TEST_TIMEOUT, async () => {
    assert.ok(LONG_NAME.length > 512);
    expectStatus(await checkFileInfo(fx.source), 200);
    const res = await putRelative({ relativeTarget: LONG_NAME });
    expectStatus(res, [200, 400]);
    if (res.status === 200) expectCreated(res, { exact: LONG_NAME });
  });

  void it(
    'PutRelativeFile.IncludeHostUrls (OfficeOnline): HostEditUrl and HostViewUrl',
    TEST_TIMEOUT,
    async () => {
      const res = await putRelative({ suggestedTarget: 'new_file.wopitest' });
      const file = expectCreated(res, { endsWith: '.wopitest' });
      assert.ok(isAbsoluteHttpUrl(file.body['HostEditUrl']), `HostEditUrl required\n${res.describe()}`);
      assert.ok(isAbsoluteHttpUrl(file.body['HostViewUrl']), `HostViewUrl required\n${res.describe()}`);
    },
  );

  void it(
    '(extra) non-ASCII name: UTF-7 decoded in Name, BaseFileName and on disk',
    TEST_TIMEOUT,
    async () => {
      const name = '文件1 ü.wopitestx';
      const res = await putRelative({ relativeTarget: name });
      assert.equal(res.request.headers['X-WOPI-RelativeTarget'], '+ZYdO9g-1 +APw-.wopitestx');
      const file = expectCreated(res, { exact: name });
      await expectOpens(file, validatorDocuments.wordSimple);
      assert.ok((await readdir(fx.serve.folder)).includes(name), 'file on disk has the decoded name');
    },
  );

  void it(
    "(extra) suggested mode never overwrites: suggesting the source's own name",
    TEST_TIMEOUT,
    async () => {
      const file = expectCreated(await putRelative({ suggestedTarget: SOURCE_FILE }), {
        endsWith: '.wopitest',
      });
      assert.notEqual(file.name, SOURCE_FILE);
      await expectOpens(file, validatorDocuments.wordSimple);
      await expectContent(fx.source, validatorDocuments.wordBlank, 'source file untouched');
    },
  );
});
