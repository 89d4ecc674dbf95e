// Requests a host must refuse, cleanly: file ids that name nothing (or try to climb out of the files
// endpoint), tokens that are garbage or belong to another file, overrides that do not exist. The
// validator only tries the literal token INVALID (401 or 404); these are the workbench's own, each
// from a rule PROTOCOL.md or PITFALLS.md states.
import { randomBytes } from 'node:crypto';
import type { WopiResponse, WopiTarget } from '../client';
import { expectStatus, validatorDocuments } from '../expect';
import { CaseFailure } from '../types';
import type { CaseContext, CheckGroup } from '../types';
import { LOCK, createNamed, expectContent, fresh, readContent } from './relative-files';

/** The target's files endpoint with another file id in place of its own. */
function withFileId(target: WopiTarget, fileId: string): WopiTarget {
  const at = target.wopiSrc.lastIndexOf('/');
  return { ...target, wopiSrc: `${target.wopiSrc.slice(0, at + 1)}${fileId}` };
}

/** A refused request: 401 or 404 as the protocol allows, and not the bytes of any file we know. */
function expectRefused(res: WopiResponse, known: readonly Buffer[], what: string): void {
  expectStatus(res, [401, 404], what);
  if (res.body.length > 0 && known.some((bytes) => res.body.equals(bytes)))
    throw new CaseFailure(`${what}: no file content`, `${res.status} with a file's bytes`, res.recordId);
}

async function targetBytes(ctx: CaseContext): Promise<Buffer> {
  return readContent(ctx, ctx.target, 'the target');
}

export const fileIdsAndTokensGroup: CheckGroup = {
  id: 'FileIdsAndTokens',
  title: 'Unknown file ids, bad tokens and unknown overrides are refused with the documented status',
  requires: {},
  cases: [
    {
      name: 'UnknownFileIdIsNotFound',
      title:
        'an unknown file id: 404 (401 accepted: the token is not for it) on CheckFileInfo, GetFile and Lock, never 5xx',
      origin: 'workbench',
      rationale:
        'PROTOCOL §1.3/§1.6: resource not found is 404 (an invalid token for it 401); PITFALLS F: hosts answered 200 with invented data, 200 to Lock on a missing file, or 500.',
      async run(ctx) {
        const unknown = withFileId(ctx.target, `wbunknown${randomBytes(8).toString('hex')}`);
        const known = [await targetBytes(ctx)];
        expectRefused(await ctx.client.checkFileInfo(unknown), known, 'CheckFileInfo');
        expectRefused(await ctx.client.getFile(unknown), known, 'GetFile');
        if (ctx.info['SupportsLocks'] === true) {
          ctx.cleanup(() => ctx.client.unlock(unknown, LOCK));
          expectRefused(await ctx.client.lock(unknown, LOCK), known, 'Lock');
        }
      },
    },
    {
      name: 'DotSegmentIdsStayInside',
      title: 'file ids made of ../ segments (encoded or raw): 401 or 404, never another file’s bytes',
      origin: 'workbench',
      rationale:
        'PROTOCOL §1.1/§1.2: a file id is a URL-safe string naming exactly one file under /wopi/files/; an id that is not one is not found (§1.6 404), and must not be resolved as a path.',
      async run(ctx) {
        const known = [await targetBytes(ctx)];
        const ids = [
          '..%2F..%2Fetc%2Fpasswd',
          '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
          '..%5C..%5Cwindows%5Cwin.ini',
          `..%2F${ctx.target.wopiSrc.slice(ctx.target.wopiSrc.lastIndexOf('/') + 1)}`,
        ];
        for (const id of ids) {
          const other = withFileId(ctx.target, id);
          expectRefused(await ctx.client.checkFileInfo(other), known, `CheckFileInfo on id ${id}`);
          const bytes = await ctx.client.getFile(other);
          expectRefused(bytes, known, `GetFile on id ${id}`);
          if (bytes.text.includes('root:'))
            throw new CaseFailure(
              `GetFile on id ${id}: no file content`,
              `${bytes.status} with /etc/passwd`,
              bytes.recordId,
            );
        }
        // Raw dot segments, sent as written (no client-side normalisation).
        const url = new URL(ctx.target.wopiSrc);
        const filesAt = url.pathname.lastIndexOf('/files/');
        const raw = `${url.pathname.slice(0, filesAt)}/files/../../etc/passwd/contents?access_token=${encodeURIComponent(ctx.target.accessToken)}`;
        const res = await ctx.client.send({
          method: 'GET',
          url: url.origin,
          rawPath: raw,
          headers: { Authorization: `Bearer ${ctx.target.accessToken}` },
          token: ctx.target.accessToken,
        });
        expectRefused(res, known, 'GetFile on raw ../ segments');
        if (res.text.includes('root:'))
          throw new CaseFailure(
            'GetFile on raw ../ segments: no file content',
            `${res.status} with /etc/passwd`,
            res.recordId,
          );
      },
    },
    {
      name: 'GarbageTokenIsUnauthorized',
      title: 'a token that was never minted, or none at all: 401 on CheckFileInfo and GetFile, never 5xx',
      origin: 'workbench',
      rationale:
        'PROTOCOL §1.3: an invalid or expired token is 401 (§1.6); the validator accepts 404 too, the protocol names 401.',
      async run(ctx) {
        expectStatus(
          await ctx.client.checkFileInfo(ctx.target, { token: 'garbage0token0that0was0never0minted' }),
          401,
          'CheckFileInfo with a garbage token',
        );
        expectStatus(await ctx.client.getFile(ctx.target, { token: 'x' }), 401, 'GetFile with the token "x"');
        // Signed (with --sign) over the empty token, so a proof-checking host gets as far as the token.
        const bare = await ctx.client.send({ method: 'GET', url: ctx.target.wopiSrc, token: '' });
        expectStatus(bare, 401, 'CheckFileInfo without access_token');
      },
    },
    {
      name: 'UnknownOverrideIsNotImplemented',
      title: 'POST with X-WOPI-Override NOT_A_WOPI_OPERATION: 501',
      origin: 'workbench',
      rationale:
        'PROTOCOL §1.6 and §13 item 1: an unimplemented override is 501 (operation not supported); PITFALLS F: a host answered 409.',
      async run(ctx) {
        expectStatus(
          await ctx.client.postOverride(ctx.target, 'NOT_A_WOPI_OPERATION'),
          501,
          'unknown override',
        );
      },
    },
  ],
};

export const tokenScopeGroup: CheckGroup = {
  id: 'TokenScope',
  title: 'A token for one file is refused on another (a second file made with PutRelativeFile)',
  requires: {
    SupportsUpdate: true,
    UserCanNotWriteRelative: false,
    SupportsDeleteFile: true,
    SupportsLocks: true,
  },
  cases: [
    {
      name: 'TokenOfAnotherFileIsRefused',
      title:
        "each file's token on the other file: 401 or 404 on CheckFileInfo, GetFile, PutFile and Lock; nothing read or written",
      origin: 'workbench',
      rationale:
        'PROTOCOL §1.1: a token is scoped to one user and one resource; §1.3: refuse with 401 (invalid for it) or 404 (not authorized). PITFALLS F: a host ignored the file id and served the token’s own file.',
      async run(ctx) {
        const own = await targetBytes(ctx);
        const other = await createNamed(
          ctx,
          fresh('token-scope', '.wopitestx'),
          validatorDocuments.wordComplex,
        );
        const known = [own, validatorDocuments.wordComplex];
        const original = ctx.target.accessToken;
        // The original token on the new file.
        const wrong = { token: original };
        expectRefused(
          await ctx.client.checkFileInfo(other.target, wrong),
          known,
          "CheckFileInfo on the new file with the target's token",
        );
        expectRefused(
          await ctx.client.getFile(other.target, wrong),
          known,
          "GetFile on the new file with the target's token",
        );
        expectRefused(
          await ctx.client.putFile(other.target, validatorDocuments.wordBlank, wrong),
          known,
          "PutFile on the new file with the target's token",
        );
        expectRefused(
          await ctx.client.lock(other.target, LOCK, wrong),
          known,
          "Lock on the new file with the target's token",
        );
        // The new file's token on the target.
        const back = { token: other.target.accessToken };
        expectRefused(
          await ctx.client.checkFileInfo(ctx.target, back),
          known,
          "CheckFileInfo on the target with the new file's token",
        );
        expectRefused(
          await ctx.client.getFile(ctx.target, back),
          known,
          "GetFile on the target with the new file's token",
        );
        await expectContent(
          ctx,
          other.target,
          validatorDocuments.wordComplex,
          'the new file after the refused PutFile',
        );
        // Nothing locked: the new file's own token can delete it (a lock would block DeleteFile).
        expectStatus(await ctx.client.deleteFile(other.target), 200, 'DeleteFile with its own token');
      },
    },
  ],
};
