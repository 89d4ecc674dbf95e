// Validator group BaseWopiViewing (wopi-validator-core TestCases.xml): what a viewer asks for.
import { expectStatus, expectThat } from '../expect';
import type { CheckGroup } from '../types';
import { expectFileExtension, expectFileInfoBasics, expectNonEmptyString, fileInfo } from './steps';

// Defined in the docs but for Microsoft's own use: hosts leave them out or empty.
const NOT_SET_BY_HOSTS = [
  'HostAuthenticationId',
  'PresenceUserId',
  'TenantId',
  'UserPrincipalName',
  'AADUserObjectId',
];

export const baseWopiViewing: CheckGroup = {
  id: 'BaseWopiViewing',
  title: 'Viewing: CheckFileInfo then GetFile',
  requires: {},
  cases: [
    {
      name: 'CheckFileInfoFieldsNotToBeSetByHosts',
      title:
        'UserId is set; HostAuthenticationId, PresenceUserId, TenantId, UserPrincipalName, AADUserObjectId are not',
      origin: 'validator',
      async run(ctx) {
        const { body, res } = await fileInfo(ctx);
        expectNonEmptyString(body, 'UserId', res);
        for (const name of NOT_SET_BY_HOSTS) {
          const value = body[name];
          expectThat(
            value === undefined || value === '',
            res,
            `${name} absent or "" (not set by hosts)`,
            `${name}: ${JSON.stringify(value)}`,
          );
        }
        expectFileExtension(body, res);
      },
    },
    {
      name: 'ViewOnlySupport',
      title: 'CheckFileInfo with the viewing properties, then GetFile',
      origin: 'validator',
      async run(ctx) {
        expectFileInfoBasics(await ctx.client.checkFileInfo(ctx.target), true);
        expectStatus(await ctx.client.getFile(ctx.target), 200, 'GetFile');
      },
    },
    {
      name: 'GetUnlockedFile',
      title: 'GetFile on a file nobody has locked',
      origin: 'validator',
      async run(ctx) {
        expectStatus(await ctx.client.getFile(ctx.target), 200, 'GetFile');
      },
    },
  ],
};
