// A whole conformance run against someone else's host, once per classic mistake: with no mistake
// nothing fails; with one, the cases about that rule fail and nothing outside the cases that lean on
// the broken behaviour does. Every exchange a case lists is a published record.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCheck } from '../../../server/conformance/runner';
import type { CheckRunView } from '../../../server/contracts/api';
import { startMiniHost } from '../../helpers/mini-host';
import type { MiniHost, Mistake } from '../../helpers/mini-host';

const NAME = 'broken.wopitest';
const ORIGINAL = Buffer.from('PK\u0003\u0004 the host owner\u2019s bytes\n');
const TEST = { timeout: 180_000 };

/**
 * Per mistake: cases that must fail (the rule itself), and the groups (or `Group.Case` ids) any
 * other failure may come from — the cases that need the broken behaviour to reach their own check.
 */
const EXPECTED: Record<Mistake, { must: string[]; within: string[] }> = {
  'conflict-without-lock-header': {
    must: [
      'Locks.UnlockUnlockedFile',
      'Locks.LockMismatchOnLockRequest',
      'Locks.LockMismatchOnPutFileRequest',
    ],
    within: [
      'Locks',
      'GetLock',
      'ExtendedLockLength',
      'EditFlows',
      'PutRelativeFile',
      'DeleteFile',
      'LockHeaders',
    ],
  },
  'conflict-as-400': {
    must: [
      'Locks.LockMismatchOnLockRequest',
      'Locks.LockMismatchOnUnlockRequest',
      'EditFlows.PutUnlockedFileNotZeroBytes',
    ],
    within: [
      'Locks',
      'GetLock',
      'ExtendedLockLength',
      'EditFlows',
      'PutRelativeFile',
      'DeleteFile',
      'LockHeaders',
    ],
  },
  'lock-id-case-insensitive': {
    must: ['Locks.LockIdsCompareExactly'],
    within: ['Locks.LockIdsCompareExactly'],
  },
  'version-unchanged-on-put': {
    must: ['FileVersion.files.PutFileReturnsDifferentVersion', 'FileVersion.VersionsNeverRepeat'],
    within: ['FileVersion'],
  },
  'unknown-file-500': {
    must: ['FileIdsAndTokens.UnknownFileIdIsNotFound', 'DeleteFile.DeletedFileIsNotFound'],
    within: ['FileIdsAndTokens', 'DeleteFile'],
  },
  'unknown-override-200': {
    must: ['FileIdsAndTokens.UnknownOverrideIsNotImplemented'],
    within: ['FileIdsAndTokens.UnknownOverrideIsNotImplemented'],
  },
  'ignores-max-expected-size': {
    must: ['MaxExpectedSize.FileLargerThanMaxExpectedSize'],
    within: ['MaxExpectedSize.FileLargerThanMaxExpectedSize'],
  },
  'put-relative-without-url': {
    must: [
      'PutRelativeFile.NameAndUrl',
      'PutRelativeFile.SuggestedName',
      'TokenScope.TokenOfAnotherFileIsRefused',
    ],
    within: ['PutRelativeFile', 'DeleteFile', 'TokenScope'],
  },
  'file-info-missing-owner': {
    must: ['CheckFileInfoSchema.FullCheckFileInfoSchema'],
    within: ['CheckFileInfoSchema', 'BaseWopiViewing', 'EditFlows', 'FileVersion'],
  },
  'token-any-file': {
    must: ['TokenScope.TokenOfAnotherFileIsRefused'],
    within: ['TokenScope.TokenOfAnotherFileIsRefused'],
  },
};

const failing = (run: CheckRunView): string[] =>
  run.groups
    .flatMap((g) => g.cases)
    .filter((c) => c.status === 'fail' || c.status === 'error')
    .map((c) => c.id);

void describe('check against a host with classic mistakes', () => {
  let host: MiniHost;
  before(async () => {
    host = await startMiniHost({ files: { [NAME]: ORIGINAL } });
  });
  after(() => host.close());

  async function run(): Promise<CheckRunView> {
    const records: string[] = [];
    const result = await runCheck({
      target: { wopiSrc: host.wopiSrc(NAME), accessToken: host.token(NAME) },
      ownHost: false,
      record: (rec) => records.push(rec.id),
    });
    assert.equal(result.state, 'done', result.error);
    // Every exchange a case lists is a record the run published.
    for (const c of result.groups.flatMap((g) => g.cases))
      for (const id of c.exchanges)
        assert.ok(records.includes(id), `${c.id}: exchange ${id} was not recorded`);
    return result;
  }

  void it('a correct host fails nothing', TEST, async () => {
    host.mistakes.clear();
    const result = await run();
    assert.deepEqual(failing(result), []);
    assert.ok(result.totals.pass > 50, `most cases ran: ${JSON.stringify(result.totals)}`);
  });

  for (const [mistake, expected] of Object.entries(EXPECTED) as Array<
    [Mistake, (typeof EXPECTED)[Mistake]]
  >) {
    void it(`${mistake}: fails the cases about it, and only cases that lean on it`, TEST, async () => {
      host.mistakes.clear();
      host.mistakes.add(mistake);
      try {
        const bad = failing(await run());
        for (const id of expected.must)
          assert.ok(bad.includes(id), `${id} should fail; failed: ${bad.join(', ')}`);
        const allowed = (id: string): boolean =>
          expected.within.some((w) => id === w || id.startsWith(`${w}.`));
        assert.deepEqual(
          bad.filter((id) => !allowed(id)),
          [],
          'failures outside the affected cases',
        );
      } finally {
        host.mistakes.clear();
      }
      // Whatever the mistake, the run never deletes the file under test.
      assert.ok(host.bytes(NAME) !== undefined, 'the target file still exists');
    });
  }
});
