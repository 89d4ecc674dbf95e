// Permissions come from the override table (server/wopi/dispatch.ts): each row says what it needs, and
// one check answers before the handler runs. Over real HTTP, every row that needs edit rights is sent
// with a view-only token (iterating the table, so a row added later is covered too) and must be refused
// with the row's answer, changing nothing; the same request with an edit token reaches the handler.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { TokenClaims } from '../../server/auth/tokens';
import type { RouteRow } from '../../server/wopi/dispatch';
import { permissionOutcome, ROUTES } from '../../server/wopi/dispatch';
import { statusOf } from '../../server/wopi/outcomes';
import { engineForSuite, uniqueName as uniq } from '../helpers/engine-fixture';
import { checkFileInfo, sendRequest, wopiUrl } from '../helpers/wopi-client';
import type { WopiResponse, WopiTarget } from '../helpers/wopi-client';

const CONTENT = Buffer.from('the bytes a viewer must not change\n');

/** What the refusals said before the check moved into the table; they must not change. */
const TODAY: Record<string, [number, string]> = {
  PutFile: [404, 'PutFile: the access token grants view rights only'],
  PutRelativeFile: [501, 'PutRelativeFile: this user cannot create files (UserCanNotWriteRelative is true)'],
  RenameFile: [404, 'RenameFile: the access token grants view rights only'],
  DeleteFile: [404, 'DeleteFile: the access token grants view rights only'],
  Lock: [404, 'Lock: the access token grants view rights only'],
  UnlockAndRelock: [404, 'UnlockAndRelock: the access token grants view rights only'],
  RefreshLock: [404, 'RefreshLock: the access token grants view rights only'],
  Unlock: [404, 'Unlock: the access token grants view rights only'],
};
/** Operations a viewer may call: they change no file. */
const READ_ONLY = new Set(['CheckFileInfo', 'GetFile', 'GetLock', 'PutUserInfo']);

const claims = (permissions: 'view' | 'edit'): TokenClaims => ({
  fileId: 'f',
  userId: 'u',
  userName: 'U',
  permissions,
  expiresAt: Number.MAX_SAFE_INTEGER,
});

/**
 * The request a client would send for `row`, with every header any write operation reads filled in
 * validly, so that nothing but the permission stands between it and the handler.
 */
function send(row: RouteRow, t: WopiTarget): Promise<WopiResponse> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${t.accessToken}`,
    'X-WOPI-Lock': 'L-new',
    'X-WOPI-RequestedName': 'renamed-by-request',
    'X-WOPI-SuggestedTarget': '.txt',
  };
  if (row.override !== undefined) headers['X-WOPI-Override'] = row.override;
  if (row.withOldLock) headers['X-WOPI-OldLock'] = 'L-old';
  return sendRequest({
    method: row.method,
    url: wopiUrl(t, row.endpoint === 'contents' ? '/contents' : ''),
    headers,
    ...(row.method === 'POST' ? { body: 'new bytes' } : {}),
  });
}

const editRows = ROUTES.filter((r) => r.needs === 'edit');

void describe('permissions declared in the override table', () => {
  const b = engineForSuite('wb-permissions-');

  void it('every row chooses: edit rights, or an operation that changes no file', () => {
    for (const r of ROUTES) {
      if (r.needs !== 'edit')
        assert.ok(READ_ONLY.has(r.operation), `${r.operation} needs nothing, but it is not read-only`);
    }
    assert.deepEqual(
      editRows.map((r) => r.operation).sort(),
      Object.keys(TODAY).sort(),
      'the operations that need edit rights',
    );
  });

  void it("the check answers exactly what each operation's inline check answered", () => {
    for (const r of editRows) {
      const refusal = permissionOutcome(r, claims('view'));
      assert.ok(refusal, `${r.operation}: a view token is refused`);
      assert.deepEqual([statusOf(refusal), refusal.why], TODAY[r.operation], r.operation);
      assert.equal(permissionOutcome(r, claims('edit')), null, `${r.operation}: an edit token passes`);
    }
    for (const r of ROUTES.filter((x) => x.needs !== 'edit'))
      assert.equal(permissionOutcome(r, claims('view')), null, `${r.operation}: a view token passes`);
  });

  for (const row of editRows) {
    void it(`${row.operation} with a view-only token: refused over HTTP, nothing changes`, async () => {
      const t = await b.file(uniq(`perm-${row.operation}`, '.txt'), CONTENT);
      const before = { bytes: await readFile(t.abs), names: await readdir(b.folder) };
      const expected = permissionOutcome(row, claims('view'))!;

      const res = await send(row, b.target(t.id, undefined, 'view'));
      assert.equal(res.status, statusOf(expected), res.describe());
      assert.equal(res.header('X-WOPI-ServerError'), expected.why, res.describe());
      assert.deepEqual(await readFile(t.abs), before.bytes, 'the bytes are unchanged');
      assert.deepEqual(await readdir(b.folder), before.names, 'no file created, renamed or deleted');
      assert.equal(b.engine.locks.current(t.id), null, 'no lock taken');

      // The same request with edit rights gets past the check to the handler.
      const edit = await send(row, t);
      assert.notEqual(edit.header('X-WOPI-ServerError'), expected.why, edit.describe());
    });
  }

  void it('CheckFileInfo hints agree with what is enforced', async () => {
    const t = await b.file(uniq('perm-hints', '.txt'), CONTENT);
    for (const [permissions, canWrite] of [
      ['view', false],
      ['edit', true],
    ] as const) {
      const info = (await checkFileInfo(b.target(t.id, undefined, permissions))).json();
      assert.deepEqual(
        {
          UserCanWrite: info['UserCanWrite'],
          UserCanRename: info['UserCanRename'],
          UserCanNotWriteRelative: info['UserCanNotWriteRelative'],
          ReadOnly: info['ReadOnly'],
        },
        {
          UserCanWrite: canWrite,
          UserCanRename: canWrite,
          UserCanNotWriteRelative: !canWrite,
          ReadOnly: !canWrite,
        },
        permissions,
      );
    }
  });
});
