// Validator group FileVersion (wopi-validator-core TestCases.xml, 2019 and later revisions merged):
// X-WOPI-ItemVersion on GetFile, Lock, Unlock and PutFile, new on every PutFile, unchanged by Lock and
// Unlock; and the version rules of PROTOCOL.md §4.1 and §7 it does not check.
import { expectHeader, expectStatus, expectThat, validatorDocuments } from '../expect';
import type { CaseContext, CheckGroup } from '../types';
import {
  ITEM_VERSION,
  LOCK,
  currentVersion,
  fileInfo,
  itemVersion,
  requireCapabilities,
  sha256Base64,
  unlockAfter,
} from './steps';

// The group's prerequisite is SupportsLocks only (as the validator's); the cases that write also need
// the host to promise PutFile, or they are skipped rather than failed.
const needsPutFile = (ctx: CaseContext): void =>
  requireCapabilities(ctx, { SupportsUpdate: true, UserCanWrite: true });

export const fileVersion: CheckGroup = {
  id: 'FileVersion',
  title: 'X-WOPI-ItemVersion and CheckFileInfo Version',
  requires: { SupportsLocks: true },
  cases: [
    {
      name: 'files.GetFileReturnsVersion',
      title: 'GetFile carries X-WOPI-ItemVersion',
      origin: 'validator',
      async run(ctx) {
        const res = await ctx.client.getFile(ctx.target);
        expectStatus(res, 200, 'GetFile');
        itemVersion(res, 'GetFile');
      },
    },
    {
      name: 'files.LockReturnsVersion',
      title: 'Lock carries X-WOPI-ItemVersion',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        const res = await ctx.client.lock(ctx.target, LOCK);
        expectStatus(res, 200, 'Lock');
        itemVersion(res, 'Lock');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'files.UnlockReturnsVersion',
      title: 'Unlock carries X-WOPI-ItemVersion',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const res = await ctx.client.unlock(ctx.target, LOCK);
        expectStatus(res, 200, 'Unlock');
        itemVersion(res, 'Unlock');
      },
    },
    {
      name: 'files.PutFileReturnsVersion',
      title: 'PutFile carries X-WOPI-ItemVersion',
      origin: 'validator',
      async run(ctx) {
        needsPutFile(ctx);
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const res = await ctx.client.putFile(ctx.target, validatorDocuments.wordSimple, { lock: LOCK });
        expectStatus(res, 200, 'PutFile');
        itemVersion(res, 'PutFile');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'files.PutFileReturnsDifferentVersion',
      title: "Each PutFile returns a new X-WOPI-ItemVersion; CheckFileInfo Version then equals Unlock's",
      origin: 'validator',
      async run(ctx) {
        needsPutFile(ctx);
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const original = await currentVersion(ctx);
        const first = await ctx.client.putFile(ctx.target, validatorDocuments.wordSimple, { lock: LOCK });
        expectStatus(first, 200, 'first PutFile');
        const second = itemVersion(first, 'first PutFile');
        expectThat(
          second !== original,
          first,
          `first PutFile: ${ITEM_VERSION} other than the version before (${JSON.stringify(original)})`,
          `${ITEM_VERSION}: ${JSON.stringify(second)}`,
        );
        const next = await ctx.client.putFile(ctx.target, validatorDocuments.wordComplex, { lock: LOCK });
        expectStatus(next, 200, 'second PutFile');
        const third = itemVersion(next, 'second PutFile');
        expectThat(
          third !== second,
          next,
          `second PutFile: ${ITEM_VERSION} other than the first PutFile's (${JSON.stringify(second)})`,
          `${ITEM_VERSION}: ${JSON.stringify(third)}`,
        );
        const unlocked = await ctx.client.unlock(ctx.target, LOCK);
        expectStatus(unlocked, 200, 'Unlock');
        const onUnlock = itemVersion(unlocked, 'Unlock');
        const { body, res } = await fileInfo(ctx, 'CheckFileInfo after Unlock');
        expectThat(
          body['Version'] === onUnlock,
          res,
          `CheckFileInfo Version ${JSON.stringify(onUnlock)} (the Unlock's ${ITEM_VERSION})`,
          `Version: ${JSON.stringify(body['Version'])}`,
        );
      },
    },
    {
      name: 'files.LockAndUnlockAfterGetFileReturnsSameVersion',
      title: 'GetFile, Lock and Unlock all return the CheckFileInfo Version',
      origin: 'validator',
      async run(ctx) {
        unlockAfter(ctx, LOCK);
        const original = await currentVersion(ctx);
        const file = await ctx.client.getFile(ctx.target);
        expectStatus(file, 200, 'GetFile');
        expectHeader(file, ITEM_VERSION, original, 'GetFile');
        const locked = await ctx.client.lock(ctx.target, LOCK);
        expectStatus(locked, 200, 'Lock');
        expectHeader(locked, ITEM_VERSION, original, 'Lock');
        const unlocked = await ctx.client.unlock(ctx.target, LOCK);
        expectStatus(unlocked, 200, 'Unlock');
        expectHeader(unlocked, ITEM_VERSION, original, 'Unlock');
      },
    },
    {
      name: 'ItemVersionIsCheckFileInfoVersion',
      title: "After a PutFile, CheckFileInfo Version and GetFile's X-WOPI-ItemVersion are the PutFile's",
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §7: Version (CheckFileInfo) and X-WOPI-ItemVersion (GetFile, Lock, Unlock, PutFile) carry ' +
        'the same string, and PutFile returns the version after the write (§3.8).',
      async run(ctx) {
        needsPutFile(ctx);
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const res = await ctx.client.putFile(ctx.target, validatorDocuments.wordSimple, { lock: LOCK });
        expectStatus(res, 200, 'PutFile');
        const written = itemVersion(res, 'PutFile');
        const { body, res: info } = await fileInfo(ctx, 'CheckFileInfo after PutFile');
        expectThat(
          body['Version'] === written,
          info,
          `CheckFileInfo Version ${JSON.stringify(written)} (the PutFile's ${ITEM_VERSION})`,
          `Version: ${JSON.stringify(body['Version'])}`,
        );
        const file = await ctx.client.getFile(ctx.target);
        expectStatus(file, 200, 'GetFile after PutFile');
        expectHeader(file, ITEM_VERSION, written, 'GetFile after PutFile');
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'VersionsNeverRepeat',
      title: 'Every PutFile gets a version never used before, even when it writes earlier bytes again',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §4.1: Version must change whenever the file changes and must never repeat for that file; ' +
        'a version derived from the content repeats when the bytes do, and Office then serves a stale view (§7).',
      async run(ctx) {
        needsPutFile(ctx);
        unlockAfter(ctx, LOCK);
        const seen = new Set([await currentVersion(ctx)]);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        const { wordBlank, wordSimple } = validatorDocuments;
        for (const [i, bytes] of [wordBlank, wordSimple, wordBlank].entries()) {
          const what = `PutFile #${i + 1}`;
          const res = await ctx.client.putFile(ctx.target, bytes, { lock: LOCK });
          expectStatus(res, 200, what);
          const version = itemVersion(res, what);
          expectThat(
            !seen.has(version),
            res,
            `${what}: a version not used before (${[...seen].map((v) => JSON.stringify(v)).join(', ')})`,
            `${ITEM_VERSION}: ${JSON.stringify(version)}`,
          );
          seen.add(version);
        }
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
    {
      name: 'CheckFileInfoFollowsPutFile',
      title:
        'After a PutFile, CheckFileInfo Size (and SHA256 when sent) describe the new bytes, 0 bytes included',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §4.1: Size is the size in bytes and Office reads Size 0 as a new, empty file; §4.8: SHA256 ' +
        "is Office's view cache key; §7: stale Size or SHA256 after an edit shows old content.",
      async run(ctx) {
        needsPutFile(ctx);
        unlockAfter(ctx, LOCK);
        expectStatus(await ctx.client.lock(ctx.target, LOCK), 200, 'Lock');
        for (const bytes of [validatorDocuments.wordComplex, validatorDocuments.zeroByte]) {
          const what = `CheckFileInfo after a PutFile of ${bytes.length} bytes`;
          expectStatus(await ctx.client.putFile(ctx.target, bytes, { lock: LOCK }), 200, 'PutFile');
          const { body, res } = await fileInfo(ctx, what);
          expectThat(
            body['Size'] === bytes.length,
            res,
            `${what}: Size ${bytes.length}`,
            `Size: ${JSON.stringify(body['Size'])}`,
          );
          const sha = body['SHA256'];
          if (sha === undefined || sha === '') continue;
          expectThat(
            sha === sha256Base64(bytes),
            res,
            `${what}: SHA256 ${JSON.stringify(sha256Base64(bytes))}`,
            `SHA256: ${JSON.stringify(sha)}`,
          );
        }
        expectStatus(await ctx.client.unlock(ctx.target, LOCK), 200, 'Unlock');
      },
    },
  ],
};
