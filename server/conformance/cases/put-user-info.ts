// PutUserInfo (PROTOCOL §3.12): the string comes back in CheckFileInfo UserInfo. Each case puts the
// user's previous UserInfo back afterwards ("" when there was none: an absent string property and ""
// mean the same, §1.4).
import { expectJson, expectStatus } from '../expect';
import { CaseFailure } from '../types';
import type { CaseContext, CheckCase, CheckGroup } from '../types';

async function currentUserInfo(ctx: CaseContext): Promise<string> {
  const res = await ctx.client.checkFileInfo(ctx.target);
  expectStatus(res, 200, 'CheckFileInfo');
  const value = expectJson(res, 'CheckFileInfo')['UserInfo'];
  return typeof value === 'string' ? value : '';
}

/** PutUserInfo `value`, then CheckFileInfo must return it; the previous value is restored after the case. */
async function expectRoundTrip(ctx: CaseContext, value: string): Promise<void> {
  const previous = await currentUserInfo(ctx);
  ctx.cleanup(() => ctx.client.putUserInfo(ctx.target, previous));
  expectStatus(await ctx.client.putUserInfo(ctx.target, value), 200, 'PutUserInfo');
  const res = await ctx.client.checkFileInfo(ctx.target);
  expectStatus(res, 200, 'CheckFileInfo after PutUserInfo');
  const actual = expectJson(res, 'CheckFileInfo after PutUserInfo')['UserInfo'];
  if (actual !== value)
    throw new CaseFailure(
      `UserInfo ${value.length > 40 ? `of ${value.length} characters as sent` : JSON.stringify(value)}`,
      typeof actual === 'string' && actual.length > 40
        ? `UserInfo of ${actual.length} characters, not the one sent`
        : `UserInfo ${JSON.stringify(actual)}`,
      res.recordId,
    );
}

const cases: CheckCase[] = [
  {
    name: 'PutUserInfoSucceeds',
    title: 'PutUserInfo answers 200 and CheckFileInfo then returns the string in UserInfo',
    origin: 'validator',
    run: (ctx) => expectRoundTrip(ctx, 'PutUserInfoTest'),
  },
  {
    name: 'UserInfoOf1024Characters',
    title: 'a UserInfo of 1024 ASCII characters (the maximum) round-trips unchanged',
    origin: 'workbench',
    rationale:
      'PROTOCOL §3.12: UserInfo is an opaque string of at most 1024 ASCII characters, returned unchanged in CheckFileInfo UserInfo (§4.3).',
    run: (ctx) => expectRoundTrip(ctx, 'u'.repeat(1000) + '0123456789abcdefghijklmn'),
  },
];

export const putUserInfoGroup: CheckGroup = {
  id: 'PutUserInfo',
  title: 'PutUserInfo: UserInfo stored and returned by CheckFileInfo',
  requires: { SupportsUserInfo: true },
  cases,
};
