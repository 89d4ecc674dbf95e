// The cases for PutRelativeFile, RenameFile, PutUserInfo, DeleteFile, file ids and tokens, lock
// headers and MaxExpectedSize can fail: run against the mini host (a WOPI host written apart from
// ours) with one classic mistake switched on, exactly the cases about that mistake fail, and the
// others still pass.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CheckRunView } from '../../../server/contracts/api';
import { deleteFileGroup } from '../../../server/conformance/cases/delete-file';
import {
  fileIdsAndTokensGroup,
  tokenScopeGroup,
} from '../../../server/conformance/cases/file-ids-and-tokens';
import {
  putRelativeFileGroup,
  putRelativeFileUnsupportedGroup,
} from '../../../server/conformance/cases/put-relative-file';
import { putUserInfoGroup } from '../../../server/conformance/cases/put-user-info';
import { renameFileGroup } from '../../../server/conformance/cases/rename-file';
import { lockHeadersGroup, maxExpectedSizeGroup } from '../../../server/conformance/cases/request-headers';
import { runCheck } from '../../../server/conformance/runner';
import { startMiniHost } from '../../helpers/mini-host';
import type { MiniHost, Mistake } from '../../helpers/mini-host';

const TIMEOUT = { timeout: 60_000 };
const FILE = 'target.wopitest';
const CONTENT = Buffer.from('the target file of the mistakes test');
const GROUPS = [
  putRelativeFileGroup,
  putRelativeFileUnsupportedGroup,
  renameFileGroup,
  putUserInfoGroup,
  deleteFileGroup,
  fileIdsAndTokensGroup,
  tokenScopeGroup,
  lockHeadersGroup,
  maxExpectedSizeGroup,
];
// The mini host answers PutRelativeFile without HostEditUrl/HostViewUrl, which Office for the web
// needs (the validator's OfficeOnline case), so that case may fail with no mistake switched on.
const MAY_FAIL_WITHOUT_MISTAKE = new Set(['PutRelativeFile.IncludeHostUrls']);

// Every case that makes a file and reads the Url of the answer.
const NEEDS_URL = [
  'PutRelativeFile.SuggestedExtension',
  'PutRelativeFile.SuggestedName',
  'PutRelativeFile.RelativeName',
  'PutRelativeFile.RelativeNameOverwriteTrueNoEffect',
  'PutRelativeFile.RelativeNameOverwriteFalseNoEffect',
  'PutRelativeFile.SuggestedNameConflict',
  'PutRelativeFile.RelativeNameConflictNoOverwrite',
  'PutRelativeFile.RelativeNameConflictOverwriteFalse',
  'PutRelativeFile.RelativeNameConflictOverwriteTrue',
  'PutRelativeFile.RelativeNameConflictOverwriteTrueLocked',
  'PutRelativeFile.FileNameReturnedIsCorrectlyEncoded',
  'PutRelativeFile.NameAndUrl',
  'PutRelativeFile.UrlOpensTheNewFile',
  'PutRelativeFile.SuggestedNameNeverOverwrites',
  'PutRelativeFile.NonAsciiNameDecoded',
  'PutRelativeFile.OverwriteHeaderIsCaseInsensitive',
  'PutRelativeFile.LockedSourceNeedsNoLock',
  'PutRelativeFile.OverwriteLockedCarriesLock',
  'DeleteFile.LockedFileIsNotDeleted',
  'DeleteFile.DeletedFileIsNotFound',
  'TokenScope.TokenOfAnotherFileIsRefused',
];

/** Each mistake and the cases it must fail, beyond those failing with no mistake. */
const EXPECTED: Array<[Mistake, string[]]> = [
  [
    'conflict-without-lock-header',
    [
      'PutRelativeFile.OverwriteLockedCarriesLock',
      'DeleteFile.LockedFileIsNotDeleted',
      'LockHeaders.UnlockAndRelockUnlockedFile',
      'LockHeaders.PutFileWithoutLockOnLockedFile',
    ],
  ],
  [
    'conflict-as-400',
    [
      'PutRelativeFile.RelativeNameConflictOverwriteTrueLocked',
      'PutRelativeFile.OverwriteLockedCarriesLock',
      'DeleteFile.LockedFileIsNotDeleted',
      'LockHeaders.UnlockAndRelockUnlockedFile',
      'LockHeaders.PutFileWithoutLockOnLockedFile',
    ],
  ],
  [
    'unknown-file-500',
    [
      'DeleteFile.DeletedFileIsNotFound',
      'FileIdsAndTokens.UnknownFileIdIsNotFound',
      'FileIdsAndTokens.DotSegmentIdsStayInside',
    ],
  ],
  ['unknown-override-200', ['FileIdsAndTokens.UnknownOverrideIsNotImplemented']],
  ['ignores-max-expected-size', ['MaxExpectedSize.FileLargerThanMaxExpectedSize']],
  ['put-relative-without-url', NEEDS_URL],
  ['token-any-file', ['TokenScope.TokenOfAnotherFileIsRefused']],
  // Mistakes other groups are about: none of these cases notices them.
  ['lock-id-case-insensitive', []],
  ['version-unchanged-on-put', []],
  ['file-info-missing-owner', []],
];

async function runAgainst(host: MiniHost): Promise<CheckRunView> {
  const run = await runCheck({
    target: { wopiSrc: host.wopiSrc(FILE), accessToken: host.token(FILE) },
    ownHost: false,
    record: () => undefined,
    groupsTable: GROUPS,
  });
  assert.equal(run.state, 'done', run.error);
  return run;
}

function outcome(run: CheckRunView): { failed: Set<string>; passed: Set<string>; other: string[] } {
  const failed = new Set<string>();
  const passed = new Set<string>();
  const other: string[] = [];
  for (const g of run.groups) {
    if (g.id === 'Run' || g.status === 'skipped') continue;
    for (const c of g.cases) {
      if (c.status === 'fail') failed.add(c.id);
      else if (c.status === 'pass') passed.add(c.id);
      else other.push(`${c.id} ${c.status}: ${c.reason ?? ''}`);
    }
  }
  return { failed, passed, other };
}

void describe('conformance cases against a host with one classic mistake (mini host)', () => {
  let baseline: ReturnType<typeof outcome>;

  before(async () => {
    const host = await startMiniHost({ files: { [FILE]: CONTENT } });
    try {
      baseline = outcome(await runAgainst(host));
    } finally {
      await host.close();
    }
  });

  void it('with no mistake every case that runs passes (the mini host is the reference)', TIMEOUT, () => {
    assert.deepEqual(baseline.other, []);
    for (const id of baseline.failed)
      assert.ok(MAY_FAIL_WITHOUT_MISTAKE.has(id), `${id} fails on a correct host`);
    assert.ok(baseline.passed.size >= 30, `only ${baseline.passed.size} cases ran and passed`);
  });

  for (const [mistake, expected] of EXPECTED) {
    void it(
      `${mistake}: fails exactly ${expected.length === 0 ? 'no case' : expected.join(', ')}`,
      TIMEOUT,
      async () => {
        const host = await startMiniHost({ files: { [FILE]: CONTENT }, mistakes: [mistake] });
        try {
          const now = outcome(await runAgainst(host));
          assert.deepEqual(now.other, []);
          const newlyFailed = [...now.failed].filter((id) => !baseline.failed.has(id)).sort();
          assert.deepEqual(newlyFailed, [...expected].sort());
          // The target's bytes are what they were: cases restore what they change.
          assert.deepEqual(host.bytes(FILE), CONTENT);
        } finally {
          await host.close();
        }
      },
    );
  }
});
