// The test-only "someone else's host" behaves as the protocol says by default, and each mistake
// switch changes exactly the behaviour it names (the check and linter tests rely on both).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMiniHost } from '../helpers/mini-host';
import type { MiniHost } from '../helpers/mini-host';
import { checkFileInfo, getFile, lock, postOverride, putFile, unlock } from '../helpers/wopi-client';
import type { WopiTarget } from '../helpers/wopi-client';

const NAME = 'doc.wopitest';
let host: MiniHost;
let target: WopiTarget;

void describe('mini host (test fixture)', () => {
  before(async () => {
    host = await startMiniHost({ files: { [NAME]: Buffer.from('hello') } });
    target = { wopiSrc: host.wopiSrc(NAME), accessToken: host.token(NAME) };
  });
  after(() => host.close());

  void it('answers locks, conflicts and PutFile as the lock table says', async () => {
    host.mistakes.clear();
    assert.equal((await lock(target, 'A')).status, 200);
    const conflict = await lock(target, 'B');
    assert.equal(conflict.status, 409);
    assert.equal(conflict.header('X-WOPI-Lock'), 'A');
    const v1 = (await checkFileInfo(target)).json()['Version'];
    assert.equal((await putFile(target, 'new bytes', { lock: 'A' })).status, 200);
    assert.notEqual((await checkFileInfo(target)).json()['Version'], v1);
    assert.equal((await unlock(target, 'a')).status, 409, 'lock ids are compared exactly');
    assert.equal((await unlock(target, 'A')).status, 200);
    assert.equal((await getFile(target, { maxExpectedSize: 2 })).status, 412);
    assert.equal((await postOverride(target, 'NOT_A_THING')).status, 501);
    const other = { ...target, wopiSrc: target.wopiSrc.replace(/[^/]+$/, 'nope') };
    assert.equal((await checkFileInfo(other)).status, 404);
  });

  void it('each mistake switch breaks exactly what it names', async () => {
    host.mistakes.clear();
    host.mistakes.add('conflict-without-lock-header');
    await lock(target, 'A');
    const c = await lock(target, 'B');
    assert.equal(c.status, 409);
    assert.equal(c.header('X-WOPI-Lock'), undefined);
    host.mistakes.clear();
    host.mistakes.add('lock-id-case-insensitive');
    assert.equal((await unlock(target, 'a')).status, 200);
    host.mistakes.clear();
    host.mistakes.add('unknown-file-500');
    const other = { ...target, wopiSrc: target.wopiSrc.replace(/[^/]+$/, 'nope') };
    assert.equal((await checkFileInfo(other)).status, 500);
    host.mistakes.clear();
    host.mistakes.add('unknown-override-200');
    assert.equal((await postOverride(target, 'NOT_A_THING')).status, 200);
    host.mistakes.clear();
  });
});
