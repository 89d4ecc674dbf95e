// The cases for PutRelativeFile, RenameFile, PutUserInfo, DeleteFile, file ids and tokens, lock
// headers and MaxExpectedSize can fail: run against the mini host (a WOPI host written apart from
// ours) with one classic mistake switched on, exactly the cases about that mistake fail, and the
// others still pass. The mini host implements neither RenameFile nor PutUserInfo, so those groups
// meet their mistakes through a gate in front of our own host that rewrites its answers.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { engineForSuite, uniqueName } from '../../helpers/engine-fixture';
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
  'PutRelativeFile.IncludeHostUrls',
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

/** Each mistake and the cases it must fail (with no mistake none fails). */
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
    assert.deepEqual([...baseline.failed], []);
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
          assert.deepEqual([...now.failed].sort(), [...expected].sort());
          // The target's bytes are what they were: cases restore what they change.
          assert.deepEqual(host.bytes(FILE), CONTENT);
        } finally {
          await host.close();
        }
      },
    );
  }
});

type Rewrite = (answer: { override: string | undefined; json: Record<string, unknown> }) => void;

/**
 * A gate in front of `upstream` that passes every exchange through, except that it rewrites JSON
 * answers with `rewrite` (and points URLs in them at itself, so created files stay behind the gate).
 */
async function startGate(
  upstream: string,
  rewrite: Rewrite,
): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = http.request(
        `${upstream}${req.url ?? '/'}`,
        { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } },
        (up) => {
          const parts: Buffer[] = [];
          up.on('data', (c: Buffer) => parts.push(c));
          up.on('end', () => {
            let body = Buffer.concat(parts);
            if (/json/.test(String(up.headers['content-type']))) {
              const json = JSON.parse(body.toString('utf8').replaceAll(upstream, origin)) as Record<
                string,
                unknown
              >;
              rewrite({ override: req.headers['x-wopi-override'] as string | undefined, json });
              body = Buffer.from(JSON.stringify(json));
            }
            const headers = { ...up.headers, 'content-length': String(body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(up.statusCode ?? 502, headers).end(body);
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const GATED: Array<[string, Rewrite, string[]]> = [
  [
    'RenameFile answers Name with the extension (PITFALLS #19)',
    ({ override, json }) => {
      if (override === 'RENAME_FILE' && typeof json['Name'] === 'string')
        json['Name'] = `${json['Name']}.wopitest`;
    },
    [
      'RenameFileIfCreateChildFileIsNotSupported.RenameShouldSucceed',
      'RenameFileIfCreateChildFileIsNotSupported.FileNameAfterRenameIsCorrectlyEncoded',
      'RenameFileIfCreateChildFileIsNotSupported.RenamingALockedFileWithACorrectLockHeaderValueShouldSucceed',
      'RenameFileIfCreateChildFileIsNotSupported.RenameShouldNotChangeFileExtension',
      'RenameFileIfCreateChildFileIsNotSupported.RenameKeepsFileId',
      'RenameFileIfCreateChildFileIsNotSupported.NameWithPath',
    ],
  ],
  [
    'CheckFileInfo returns UserInfo cut to 512 characters',
    ({ override, json }) => {
      if (override === undefined && typeof json['UserInfo'] === 'string')
        json['UserInfo'] = json['UserInfo'].slice(0, 512);
    },
    ['PutUserInfo.UserInfoOf1024Characters'],
  ],
];

void describe('RenameFile and PutUserInfo cases against our host behind a gate that adds one mistake', () => {
  const b = engineForSuite('wb-check-gate-');
  const groups = [renameFileGroup, putUserInfoGroup];

  async function runThrough(rewrite: Rewrite): Promise<ReturnType<typeof outcome>> {
    const t = await b.file(uniqueName('gated', '.wopitest'), CONTENT);
    const upstream = new URL(t.wopiSrc).origin;
    const gate = await startGate(upstream, rewrite);
    try {
      const run = await runCheck({
        target: { wopiSrc: t.wopiSrc.replace(upstream, gate.origin), accessToken: t.accessToken },
        ownHost: false,
        record: () => undefined,
        groupsTable: groups,
      });
      assert.equal(run.state, 'done', run.error);
      return outcome(run);
    } finally {
      await gate.close();
    }
  }

  void it('through a gate that changes nothing every case passes', TIMEOUT, async () => {
    const result = await runThrough(() => undefined);
    assert.deepEqual([...result.failed], []);
    assert.deepEqual(result.other, []);
    assert.equal(
      result.passed.size,
      groups.reduce((n, g) => n + g.cases.length, 0),
    );
  });

  for (const [mistake, rewrite, expected] of GATED) {
    void it(`${mistake}: fails exactly ${expected.join(', ')}`, TIMEOUT, async () => {
      const result = await runThrough(rewrite);
      assert.deepEqual(result.other, []);
      assert.deepEqual([...result.failed].sort(), [...expected].sort());
    });
  }
});
