// PutRelativeFile (PROTOCOL §6.1): the validator's group of that name and its 501 counterpart for
// hosts that do not implement it, plus the workbench's checks where the protocol is clear and the
// validator does not look (the Url really opens the new file, suggested mode never overwrites, UTF-7
// names beyond `_`, booleans in any case, a name with a path).
import { expectHeader, expectStatus, validatorDocuments } from '../expect';
import { CaseFailure } from '../types';
import type { CheckCase, CheckGroup } from '../types';
import {
  LOCK,
  createNamed,
  expectContent,
  expectCreated,
  expectOpens,
  putRelative,
  fresh,
  readContent,
} from './relative-files';

/** CheckFileInfo first, as every validator case in the group does. */
async function checkFileInfoOk(ctx: Parameters<CheckCase['run']>[0]): Promise<void> {
  expectStatus(await ctx.client.checkFileInfo(ctx.target), 200, 'CheckFileInfo');
}

/** A fresh `madeupname-….wopitestx` per case (the validator's name, made unique). */
const madeUp = (): string => fresh('madeupname', '.wopitestx');

// [case, title, the request and the Name it must answer, given a fresh made-up name]
const creates: Array<
  [
    string,
    string,
    (name: string) => [Parameters<typeof putRelative>[1], { exact?: string; endsWith?: string }],
  ]
> = [
  [
    'SuggestedExtension',
    'suggested extension ".wopitestx": 200, Name ends with it',
    () => [{ suggestedTarget: '.wopitestx' }, { endsWith: '.wopitestx' }],
  ],
  [
    'SuggestedName',
    'suggested name: 200, Name keeps the extension',
    () => [{ suggestedTarget: 'madeupname.wopitest' }, { endsWith: 'wopitest' }],
  ],
  [
    'RelativeName',
    'relative (specific) name: 200, Name exactly as asked',
    (n) => [{ relativeTarget: n }, { exact: n }],
  ],
  [
    'RelativeNameOverwriteTrueNoEffect',
    'relative name with OverwriteRelativeTarget True and no conflict: 200, exact Name',
    (n) => [{ relativeTarget: n, overwriteRelativeTarget: true }, { exact: n }],
  ],
  [
    'RelativeNameOverwriteFalseNoEffect',
    'relative name with OverwriteRelativeTarget False and no conflict: 200, exact Name',
    (n) => [{ relativeTarget: n, overwriteRelativeTarget: false }, { exact: n }],
  ],
];

const validatorCases: CheckCase[] = [
  ...creates.map(([name, title, build]): CheckCase => ({
    name,
    title,
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      const [options, expected] = build(madeUp());
      expectCreated(await putRelative(ctx, options), expected);
    },
  })),
  {
    name: 'SuggestedNameConflict',
    title: 'the same suggested name twice: both 200, the host picks the names',
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      expectCreated(await putRelative(ctx, { suggestedTarget: 'madeupname.wopitest' }), {
        endsWith: 'wopitest',
      });
      expectCreated(
        await putRelative(ctx, { suggestedTarget: 'madeupname.wopitest' }),
        { endsWith: 'wopitest' },
        'second PutRelativeFile',
      );
    },
  },
  ...(
    [
      ['RelativeNameConflictNoOverwrite', 'without OverwriteRelativeTarget', undefined],
      ['RelativeNameConflictOverwriteFalse', 'with OverwriteRelativeTarget False', false],
    ] as const
  ).map(([name, how, overwrite]): CheckCase => ({
    name,
    title: `a relative name that exists, ${how}: 409`,
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      const name = madeUp();
      await createNamed(ctx, name);
      const res = await putRelative(ctx, {
        relativeTarget: name,
        ...(overwrite !== undefined ? { overwriteRelativeTarget: overwrite } : {}),
      });
      expectStatus(res, 409, 'second PutRelativeFile');
    },
  })),
  {
    name: 'RelativeNameConflictOverwriteTrue',
    title: 'a relative name that exists, OverwriteRelativeTarget True: 200, the new Url opens',
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      const name = madeUp();
      await createNamed(ctx, name);
      const replaced = expectCreated(
        await putRelative(ctx, { relativeTarget: name, overwriteRelativeTarget: true }),
        { endsWith: '.wopitestx' },
        'overwriting PutRelativeFile',
      );
      expectStatus(await ctx.client.checkFileInfo(replaced.target), 200, 'CheckFileInfo on the new Url');
    },
  },
  {
    name: 'ConflictingHeaders',
    title: 'both X-WOPI-SuggestedTarget and X-WOPI-RelativeTarget: 400 or 501',
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      const name = madeUp();
      const res = await putRelative(ctx, { suggestedTarget: name, relativeTarget: name });
      expectStatus(res, [400, 501]);
    },
  },
  {
    name: 'RelativeNameConflictOverwriteTrueLocked',
    title: 'overwriting a locked file: 409',
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      const name = madeUp();
      const existing = await createNamed(ctx, name);
      expectStatus(await ctx.client.lock(existing.target, LOCK), 200, 'Lock on the new Url');
      const res = await putRelative(ctx, { relativeTarget: name, overwriteRelativeTarget: true });
      expectStatus(res, 409, 'overwrite onto a locked file');
    },
  },
  {
    name: 'FileNameReturnedIsCorrectlyEncoded',
    title: 'relative name madeup_name (sent UTF-7 as madeup+AF8-name): Name decoded',
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      await createNamed(ctx, fresh('madeup_name', '.wopitestx'));
    },
  },
  {
    name: 'FileNameLongerThan512Chars',
    title: 'a relative name over 512 characters: 200 or 400',
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      const res = await putRelative(ctx, {
        relativeTarget: fresh('longwopitestfilename'.repeat(26), '.wopitestx'),
      });
      expectStatus(res, [200, 400]);
    },
  },
  {
    name: 'IncludeHostUrls',
    title: 'the answer carries HostEditUrl and HostViewUrl, absolute (Office for the web)',
    origin: 'validator',
    async run(ctx) {
      const res = await putRelative(ctx, { suggestedTarget: 'new_file.wopitest' });
      const file = expectCreated(res, { endsWith: '.wopitest' });
      for (const hostUrl of ['HostEditUrl', 'HostViewUrl']) {
        if (typeof file.body[hostUrl] !== 'string' || file.body[hostUrl] === '')
          throw new CaseFailure(`${hostUrl} present`, res.summary(), res.recordId);
      }
    },
  },
];

const workbenchCases: CheckCase[] = [
  {
    name: 'NameAndUrl',
    title: 'a successful PutRelativeFile answers Name and an absolute Url carrying an access_token',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.1: Name and Url are required in the answer, Url is the new WOPISrc with an access token appended; PITFALLS #18.',
    async run(ctx) {
      const name = fresh('name-and-url', '.wopitestx');
      expectCreated(await putRelative(ctx, { relativeTarget: name }), { exact: name });
    },
  },
  {
    name: 'UrlOpensTheNewFile',
    title:
      'the returned Url opens the new file: another id, CheckFileInfo names it, GetFile returns the bytes sent',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.1: the Url token must be valid for the new file (a GET on it works as CheckFileInfo); PITFALLS #18; §1.1 a file id names exactly one file.',
    async run(ctx) {
      const file = await createNamed(ctx, fresh('opens', '.wopitestx'), validatorDocuments.wordComplex);
      if (file.target.wopiSrc === ctx.target.wopiSrc)
        throw new CaseFailure('a new file id in Url', `Url points at the source file ${file.target.wopiSrc}`);
      await expectOpens(ctx, file, validatorDocuments.wordComplex);
    },
  },
  {
    name: 'SuggestedNameNeverOverwrites',
    title: "suggesting the source's own name: 200 with another name, the source untouched",
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.1: in suggested mode the host may change the name to make it unique and never answers 400 or 409; PITFALLS #18.',
    async run(ctx) {
      const info = await ctx.client.checkFileInfo(ctx.target);
      expectStatus(info, 200, 'CheckFileInfo');
      const sourceName = info.json()?.['BaseFileName'];
      if (typeof sourceName !== 'string' || sourceName === '')
        throw new CaseFailure('CheckFileInfo: BaseFileName', info.summary(), info.recordId);
      const before = await readContent(ctx, ctx.target, 'the source before');
      const res = await putRelative(ctx, { suggestedTarget: sourceName }, validatorDocuments.wordComplex);
      const file = expectCreated(res);
      if (file.name === sourceName)
        throw new CaseFailure(
          `a name other than ${JSON.stringify(sourceName)}`,
          `Name ${JSON.stringify(file.name)}`,
          res.recordId,
        );
      await expectContent(ctx, ctx.target, before, 'the source afterwards');
    },
  },
  {
    name: 'NonAsciiNameDecoded',
    title: 'a UTF-7 relative name with CJK and umlaut characters: Name and BaseFileName decoded',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.3 and PITFALLS #16: X-WOPI-RelativeTarget is UTF-7 (文件1 arrives as +ZYdO9g-1); the host returns the real name.',
    async run(ctx) {
      const name = fresh('文件1 ü', '.wopitestx');
      const file = await createNamed(ctx, name);
      await expectOpens(ctx, file, validatorDocuments.wordSimple);
    },
  },
  {
    name: 'OverwriteHeaderIsCaseInsensitive',
    title: 'OverwriteRelativeTarget "true" (lower case) onto an existing name: 200, the new bytes are served',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.1 and PITFALLS #17: X-WOPI-OverwriteRelativeTarget is a Boolean; parse it case-insensitively (the validator sends True/False).',
    async run(ctx) {
      const name = fresh('overwrite-me', '.wopitestx');
      await createNamed(ctx, name);
      const res = await putRelative(
        ctx,
        { relativeTarget: name, headers: { 'X-WOPI-OverwriteRelativeTarget': 'true' } },
        validatorDocuments.wordComplex,
      );
      const replaced = expectCreated(res, { exact: name }, 'overwriting PutRelativeFile');
      await expectContent(ctx, replaced.target, validatorDocuments.wordComplex, 'the overwritten file');
    },
  },
  {
    name: 'LockedSourceNeedsNoLock',
    title: 'PutRelativeFile from a locked source without X-WOPI-Lock: 200',
    origin: 'workbench',
    rationale:
      'PROTOCOL §3.9 and §5.3: PutRelativeFile carries no X-WOPI-Lock; the lock of the source is not checked (only an existing target’s).',
    async run(ctx) {
      ctx.cleanup(() => ctx.client.unlock(ctx.target, LOCK));
      expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock on the source');
      expectCreated(await putRelative(ctx, { relativeTarget: fresh('from-locked', '.wopitestx') }));
      expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock on the source');
    },
  },
  {
    name: 'OverwriteLockedCarriesLock',
    title: 'overwriting a locked file: 409 with X-WOPI-Lock naming that file’s lock',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.1: an existing, locked target with overwrite true is 409 + X-WOPI-Lock: <its lock>; §5.2 every lock 409 carries the current lock.',
    async run(ctx) {
      const name = fresh('locked-target', '.wopitestx');
      const existing = await createNamed(ctx, name);
      expectStatus(await ctx.client.lock(existing.target, LOCK), 200, 'Lock on the new Url');
      const res = await putRelative(
        ctx,
        { relativeTarget: name, overwriteRelativeTarget: true },
        validatorDocuments.wordComplex,
      );
      expectStatus(res, 409, 'overwrite onto a locked file');
      expectHeader(res, 'X-WOPI-Lock', LOCK, 'overwrite onto a locked file');
      await expectContent(ctx, existing.target, validatorDocuments.wordSimple, 'the locked file');
    },
  },
  {
    name: 'PathInNameRefused',
    title: 'X-WOPI-RelativeTarget "../escape.wopitestx": 400',
    origin: 'workbench',
    rationale:
      'PROTOCOL §6.1: specific mode uses the name unchanged or answers 400 for an illegal one; Name is a file name with no path, so a name with a path cannot be honoured.',
    async run(ctx) {
      expectStatus(await putRelative(ctx, { relativeTarget: '../escape.wopitestx' }), 400, 'PutRelativeFile');
    },
  },
];

export const putRelativeFileGroup: CheckGroup = {
  id: 'PutRelativeFile',
  title: 'PutRelativeFile: suggested and specific names, conflicts, overwrite, encoded names',
  requires: {
    SupportsUpdate: true,
    UserCanNotWriteRelative: false,
    SupportsLocks: true,
    SupportsDeleteFile: true,
  },
  cases: [...validatorCases, ...workbenchCases],
};

/** The validator's group for hosts that set UserCanNotWriteRelative: every PutRelativeFile is 501. */
export const putRelativeFileUnsupportedGroup: CheckGroup = {
  id: 'PutRelativeFileUnsupported',
  title: 'PutRelativeFile when the user cannot write relative: 501 every time',
  requires: { SupportsUpdate: true, SupportsLocks: true, UserCanNotWriteRelative: true },
  cases: (
    [
      ['SuggestedExtension', 'suggested extension', { suggestedTarget: '.wopitestx' }],
      [
        'SuggestedName',
        'suggested name',
        { suggestedTarget: 'PutRelativeFileUnsupported_SuggestedName.wopitest' },
      ],
      [
        'RelativeName',
        'relative name',
        { relativeTarget: 'PutRelativeFileUnsupported_RelativeName.wopitest' },
      ],
      [
        'RelativeNameOverwriteTrueNoEffect',
        'relative name, OverwriteRelativeTarget True',
        {
          relativeTarget: 'PutRelativeFileUnsupported_OverwriteTrue.wopitest',
          overwriteRelativeTarget: true,
        },
      ],
      [
        'RelativeNameOverwriteFalseNoEffect',
        'relative name, OverwriteRelativeTarget False',
        {
          relativeTarget: 'PutRelativeFileUnsupported_OverwriteFalse.wopitest',
          overwriteRelativeTarget: false,
        },
      ],
      [
        'ConflictingHeaders',
        'both target headers',
        {
          suggestedTarget: 'PutRelativeFileUnsupported_ConflictingHeaders.wopitest',
          relativeTarget: 'PutRelativeFileUnsupported_ConflictingHeaders.wopitest',
        },
      ],
    ] as const
  ).map(([name, what, options]): CheckCase => ({
    name,
    title: `${what}: 501`,
    origin: 'validator',
    async run(ctx) {
      await checkFileInfoOk(ctx);
      // A host that creates the file anyway gets it removed when it also supports DeleteFile.
      expectStatus(await putRelative(ctx, options), 501, 'PutRelativeFile');
    },
  })),
};
