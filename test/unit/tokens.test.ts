import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTokenService, newSecret } from '../../server/auth/tokens';
import { resolveUser } from '../../server/auth/users';
import { DEFAULT_PERSONAS } from '../../server/config/options';

const claims = {
  fileId: 'abc123',
  userId: 'editor',
  userName: 'Ada Editor',
  permissions: 'edit' as const,
  expiresAt: 2_000,
};

test('tokens are alphanumeric and verify for their own file only', () => {
  const svc = createTokenService(newSecret(), () => 1_000);
  const t = svc.mint(claims);
  assert.match(t, /^[A-Za-z0-9]+$/);
  assert.deepEqual(svc.verify(t, 'abc123'), { ok: true, claims });
  const other = svc.verify(t, 'zzz');
  assert.equal(other.ok, false);
  assert.equal(!other.ok && other.reason, 'other-file');
});

test('expired, tampered, foreign and garbage tokens are refused with the reason', () => {
  let now = 1_000;
  const svc = createTokenService(newSecret(), () => now);
  const t = svc.mint(claims);
  now = 2_000;
  const expired = svc.verify(t, 'abc123');
  assert.equal(!expired.ok && expired.reason, 'expired');
  now = 1_000;
  const flipped = t.slice(0, -1) + (t.endsWith('0') ? '1' : '0');
  const bad = svc.verify(flipped, 'abc123');
  assert.equal(!bad.ok && bad.reason, 'bad-signature');
  const foreign = createTokenService(newSecret(), () => 1_000).mint(claims);
  const f = svc.verify(foreign, 'abc123');
  assert.equal(!f.ok && f.reason, 'bad-signature');
  for (const junk of ['', 'wb1', 'hello', 'wb1zz', 'wb1%2f']) {
    const r = svc.verify(junk, 'abc123');
    assert.equal(!r.ok && r.reason, 'malformed', junk);
  }
});

test('a token survives a restart when the secret is the same', () => {
  const secret = newSecret();
  const t = createTokenService(secret, () => 1_000).mint(claims);
  assert.equal(createTokenService(secret, () => 1_500).verify(t, 'abc123').ok, true);
});

test('resolveUser maps persona ids, names and ad-hoc users', () => {
  assert.deepEqual(resolveUser(DEFAULT_PERSONAS, undefined, undefined), {
    userId: 'editor',
    userName: 'Ada Editor',
    permissions: 'edit',
  });
  assert.equal(resolveUser(DEFAULT_PERSONAS, 'viewer', undefined).permissions, 'view');
  assert.equal(resolveUser(DEFAULT_PERSONAS, 'Victor Viewer', 'edit').permissions, 'edit');
  assert.deepEqual(resolveUser(DEFAULT_PERSONAS, 'Zoë Q', undefined), {
    userId: 'zo-q',
    userName: 'Zoë Q',
    permissions: 'edit',
  });
});
