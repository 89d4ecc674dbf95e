// Validator group PutUserInfo (wopi-validator-core TestCases.xml), black-box against `wopi-workbench serve`,
// plus the documented storage rule: UserInfo belongs to the user, not to the file (PROTOCOL §3.12).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_TIMEOUT, expectPrerequisites, serveForSuite } from '../../helpers/conformance';
import { checkFileInfo, expectStatus, putUserInfo, validatorDocuments } from '../../helpers/wopi-client';
import type { WopiTarget } from '../../helpers/wopi-client';

const USER_INFO_FILE = 'user-info.wopitest';
const OTHER_FILE = 'user-info-other.wopitest';

const fx = serveForSuite(
  { files: { [USER_INFO_FILE]: validatorDocuments.wordBlank, [OTHER_FILE]: validatorDocuments.wordSimple } },
  {
    alice: [USER_INFO_FILE, { user: 'alice' }],
    aliceOnOtherFile: [OTHER_FILE, { user: 'alice' }],
    bob: [USER_INFO_FILE, { user: 'bob' }],
  },
);

async function userInfoOf(
  target: WopiTarget,
): Promise<{ userId: unknown; userInfo: unknown; describe: string }> {
  const res = await checkFileInfo(target);
  expectStatus(res, 200, 'CheckFileInfo');
  const body = res.json();
  return { userId: body['UserId'], userInfo: body['UserInfo'], describe: res.describe() };
}

void describe('PutUserInfo', () => {
  void it('prerequisites: WopiValidatorPrereq, SupportsUserInfoPrereq', TEST_TIMEOUT, async () => {
    await expectPrerequisites(fx.alice, { SupportsUserInfo: true });
  });

  void it('PutUserInfoSucceeds: 200, then CheckFileInfo returns UserInfo', TEST_TIMEOUT, async () => {
    expectStatus(await putUserInfo(fx.alice, 'PutUserInfoTest'), 200, 'PutUserInfo');
    const { userInfo, describe } = await userInfoOf(fx.alice);
    assert.equal(userInfo, 'PutUserInfoTest', `UserInfo\n${describe}`);
  });

  void it(
    '(extra) UserInfo is stored per user: same user on another file sees it, another user does not',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await putUserInfo(fx.alice, 'alice-subscription-state'), 200, 'PutUserInfo');
      const aliceElsewhere = await userInfoOf(fx.aliceOnOtherFile);
      assert.equal(
        aliceElsewhere.userInfo,
        'alice-subscription-state',
        `same user, other file\n${aliceElsewhere.describe}`,
      );
      const aliceHere = await userInfoOf(fx.alice);
      const bobHere = await userInfoOf(fx.bob);
      assert.notEqual(
        bobHere.userId,
        aliceHere.userId,
        `--user must give distinct UserIds\n${bobHere.describe}`,
      );
      assert.ok(
        bobHere.userInfo === undefined || bobHere.userInfo === '',
        `another user must not see alice's UserInfo\n${bobHere.describe}`,
      );
    },
  );

  void it('(extra) a 1024-character UserInfo round-trips', TEST_TIMEOUT, async () => {
    const value = 'u'.repeat(1024);
    expectStatus(await putUserInfo(fx.alice, value), 200, 'PutUserInfo');
    const { userInfo, describe } = await userInfoOf(fx.alice);
    assert.equal(userInfo, value, `UserInfo\n${describe}`);
  });
});
