// Validator group PutUserInfo (wopi-validator-core TestCases.xml), black-box against `wopi-workbench serve`,
// plus the documented storage rule: UserInfo belongs to the user, not to the file (PROTOCOL §3.12).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServe } from '../../helpers/cli-process';
import type { ServeHandle } from '../../helpers/cli-process';
import {
  checkFileInfo,
  expectCapabilities,
  expectStatus,
  putUserInfo,
  validatorDocuments,
} from '../../helpers/wopi-client';
import type { WopiTarget } from '../../helpers/wopi-client';

const USER_INFO_FILE = 'user-info.wopitest';
const OTHER_FILE = 'user-info-other.wopitest';
const TEST_TIMEOUT = { timeout: 60_000 };

let serve: ServeHandle;
let alice: WopiTarget;
let aliceOnOtherFile: WopiTarget;
let bob: WopiTarget;

before(async () => {
  serve = await startServe({
    files: { [USER_INFO_FILE]: validatorDocuments.wordBlank, [OTHER_FILE]: validatorDocuments.wordSimple },
  });
  // Each token command is a process of its own; mint them side by side.
  [alice, aliceOnOtherFile, bob] = await Promise.all([
    serve.token(USER_INFO_FILE, { user: 'alice' }),
    serve.token(OTHER_FILE, { user: 'alice' }),
    serve.token(USER_INFO_FILE, { user: 'bob' }),
  ]);
});

after(async () => {
  await serve?.stop();
});

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
    const res = await checkFileInfo(alice);
    expectStatus(res, 200);
    const info = res.json();
    assert.ok(String(info['BaseFileName']).toLowerCase().endsWith('.wopitest'), res.describe());
    expectCapabilities(info, { SupportsUserInfo: true });
  });

  void it('PutUserInfoSucceeds: 200, then CheckFileInfo returns UserInfo', TEST_TIMEOUT, async () => {
    expectStatus(await putUserInfo(alice, 'PutUserInfoTest'), 200, 'PutUserInfo');
    const { userInfo, describe } = await userInfoOf(alice);
    assert.equal(userInfo, 'PutUserInfoTest', `UserInfo\n${describe}`);
  });

  void it(
    '(extra) UserInfo is stored per user: same user on another file sees it, another user does not',
    TEST_TIMEOUT,
    async () => {
      expectStatus(await putUserInfo(alice, 'alice-subscription-state'), 200, 'PutUserInfo');
      const aliceElsewhere = await userInfoOf(aliceOnOtherFile);
      assert.equal(
        aliceElsewhere.userInfo,
        'alice-subscription-state',
        `same user, other file\n${aliceElsewhere.describe}`,
      );
      const aliceHere = await userInfoOf(alice);
      const bobHere = await userInfoOf(bob);
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
    expectStatus(await putUserInfo(alice, value), 200, 'PutUserInfo');
    const { userInfo, describe } = await userInfoOf(alice);
    assert.equal(userInfo, value, `UserInfo\n${describe}`);
  });
});
