// DeleteFile (PROTOCOL §3.11) on files made with PutRelativeFile: a lock blocks it, and a deleted
// file is gone for every later call. The validator only uses DeleteFile to clean up.
import { expectLockMismatch, expectStatus } from '../expect';
import type { CheckGroup } from '../types';
import { LOCK, createNamed, fresh } from './relative-files';

export const deleteFileGroup: CheckGroup = {
  id: 'DeleteFile',
  title: 'DeleteFile: locked files stay, deleted files are 404',
  requires: {
    SupportsDeleteFile: true,
    SupportsUpdate: true,
    UserCanNotWriteRelative: false,
    SupportsLocks: true,
  },
  cases: [
    {
      name: 'LockedFileIsNotDeleted',
      title: 'DeleteFile on a locked file: 409 with X-WOPI-Lock naming the lock, the file stays',
      origin: 'workbench',
      rationale:
        'PROTOCOL §3.11 and §5.3: DeleteFile on a locked file (any lock) is 409 + X-WOPI-Lock: <current>.',
      async run(ctx) {
        const file = await createNamed(ctx, fresh('delete-locked', '.wopitestx'));
        expectStatus(await ctx.client.lock(file.target, LOCK), 200, 'Lock');
        expectLockMismatch(await ctx.client.deleteFile(file.target), LOCK, 'DeleteFile on a locked file');
        expectStatus(
          await ctx.client.checkFileInfo(file.target),
          200,
          'CheckFileInfo after the refused DeleteFile',
        );
      },
    },
    {
      name: 'DeletedFileIsNotFound',
      title: 'after DeleteFile, CheckFileInfo, GetFile and Lock on the file: 404',
      origin: 'workbench',
      rationale:
        'PROTOCOL §1.3/§1.6: a resource that does not exist is 404 (PITFALLS F: hosts answered 200 with invented data, or 200 to Lock on a missing file).',
      async run(ctx) {
        const file = await createNamed(ctx, fresh('delete-me', '.wopitestx'));
        expectStatus(await ctx.client.deleteFile(file.target), 200, 'DeleteFile');
        expectStatus(await ctx.client.checkFileInfo(file.target), 404, 'CheckFileInfo on the deleted file');
        expectStatus(await ctx.client.getFile(file.target), 404, 'GetFile on the deleted file');
        expectStatus(await ctx.client.lock(file.target, LOCK), 404, 'Lock on the deleted file');
      },
    },
  ],
};
