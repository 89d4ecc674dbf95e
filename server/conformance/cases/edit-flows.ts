// Validator group EditFlows (wopi-validator-core TestCases.xml): an editor's boot and save, the
// create-new PutFile on a 0-byte file, invalid tokens on GetFile/PutFile; and what a refused write
// must leave behind (PROTOCOL.md §3.8, §5.3).
import { expectLockMismatch, expectStatus, expectThat, validatorDocuments } from '../expect';
import type { CaseContext, CheckGroup } from '../types';
import {
  INVALID_TOKEN,
  LOCK,
  expectContent,
  expectFileInfoBasics,
  unlockAfter,
  writeOwnBytes,
} from './steps';

/** CheckFileInfo, Lock, GetFile, PutFile `bytes`, Unlock: an editor's boot and save. */
async function editSequence(
  ctx: CaseContext,
  urls: boolean,
  bytes: (current: Buffer) => Buffer,
): Promise<void> {
  unlockAfter(ctx, LOCK);
  expectFileInfoBasics(await ctx.client.checkFileInfo(ctx.target), urls);
  expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
  const file = await ctx.client.getFile(ctx.target);
  expectStatus(file, 200, 'GetFile');
  expectStatus(await ctx.client.putFile(ctx.target, bytes(file.body), { lock: LOCK }), 200, 'PutFile');
  expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
}

export const editFlows: CheckGroup = {
  id: 'EditFlows',
  title: 'Editing: boot, save, create-new',
  requires: { UserCanWrite: true, SupportsUpdate: true, SupportsLocks: true },
  cases: [
    {
      name: 'BasicEdit',
      title: 'CheckFileInfo, Lock, GetFile, PutFile, Unlock; GetFile returns the saved bytes',
      origin: 'validator',
      async run(ctx) {
        const saved = validatorDocuments.wordSimple;
        await editSequence(ctx, true, () => saved);
        await expectContent(ctx, saved, 'after the save');
      },
    },
    {
      name: 'EditNoChange',
      title: 'An editor boots and saves the bytes it read, unchanged',
      origin: 'validator',
      async run(ctx) {
        await editSequence(ctx, false, (current) => current);
      },
    },
    {
      name: 'PutUnlockedFile',
      title: 'PutFile without a lock on a 0-byte file (create-new) succeeds',
      origin: 'validator',
      async run(ctx) {
        await writeOwnBytes(ctx, validatorDocuments.zeroByte);
        const res = await ctx.client.putFile(ctx.target, validatorDocuments.wordBlank);
        expectStatus(res, 200, 'PutFile without X-WOPI-Lock on a 0-byte file');
        await expectContent(ctx, validatorDocuments.wordBlank, 'after the unlocked PutFile');
      },
    },
    {
      name: 'PutUnlockedFileNotZeroBytes',
      title: 'PutFile without a lock on a non-empty file: 409',
      origin: 'validator',
      async run(ctx) {
        await writeOwnBytes(ctx, validatorDocuments.wordSimple);
        const res = await ctx.client.putFile(ctx.target, validatorDocuments.wordBlank);
        expectStatus(res, 409, 'PutFile without X-WOPI-Lock on a non-empty file');
      },
    },
    {
      name: 'GetPutFileWithInvalidAccessToken',
      title: 'GetFile and PutFile with an invalid access token: 401 or 404',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const read = await ctx.client.getFile(ctx.target, { token: INVALID_TOKEN });
        expectStatus(read, [401, 404], `GetFile with access_token=${INVALID_TOKEN}`);
        expectStatus(await ctx.client.getFile(ctx.target), 200, 'GetFile');
        const bytes = validatorDocuments.wordSimple;
        const write = await ctx.client.putFile(ctx.target, bytes, { lock: LOCK, token: INVALID_TOKEN });
        expectStatus(write, [401, 404], `PutFile with access_token=${INVALID_TOKEN}`);
        expectStatus(await ctx.client.putFile(ctx.target, bytes, { lock: LOCK }), 200, 'PutFile');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'UnlockedPutFileConflictWritesNothing',
      title: 'The 409 for an unlocked non-empty file carries X-WOPI-Lock: "" and writes nothing',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §3.8 and §5.3: PutFile on an unlocked file that is not 0 bytes is 409 with X-WOPI-Lock: "" ' +
        '(the file is unlocked); a write that slips through replaces the file behind the user (PITFALLS.md #15).',
      async run(ctx) {
        const kept = validatorDocuments.wordSimple;
        await writeOwnBytes(ctx, kept);
        const res = await ctx.client.putFile(ctx.target, validatorDocuments.wordComplex);
        expectLockMismatch(res, '', 'PutFile without X-WOPI-Lock on an unlocked non-empty file');
        await expectContent(ctx, kept, 'after the refused PutFile');
      },
    },
    {
      name: 'InvalidTokenReadsAndWritesNothing',
      title: 'GetFile and PutFile refused for their token neither return nor change the bytes',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §1.3: an invalid token is 401 (or 404); a refusal that still serves the content or ' +
        'applies the write leaks or loses the file (the validator checks the status only).',
      async run(ctx) {
        const kept = validatorDocuments.wordSimple;
        await writeOwnBytes(ctx, kept);
        const read = await ctx.client.getFile(ctx.target, { token: INVALID_TOKEN });
        expectStatus(read, [401, 404], `GetFile with access_token=${INVALID_TOKEN}`);
        expectThat(
          !(read.body.length > 0 && read.body.includes(kept)),
          read,
          'GetFile refused for its token: no file bytes in the body',
          `${read.status} with the file's ${kept.length} bytes in the body`,
        );
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const write = await ctx.client.putFile(ctx.target, validatorDocuments.wordComplex, {
          lock: LOCK,
          token: INVALID_TOKEN,
        });
        expectStatus(write, [401, 404], `PutFile with access_token=${INVALID_TOKEN}`);
        await expectContent(ctx, kept, 'after the refused PutFile');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
  ],
};
