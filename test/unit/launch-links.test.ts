// Launch links and host-page session tokens: signed, bound to file/action/user/profile, expiring.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLaunchLinks, launchUrl, newLaunchSecret } from '../../server/auth/launch-links';
import type { LaunchClaims } from '../../server/auth/launch-links';

function setup(start = 1_800_000_000_000) {
  let now = start;
  const links = createLaunchLinks(newLaunchSecret(), () => now);
  return { links, advance: (ms: number) => (now += ms), now: () => now };
}

const claims = (expiresAt: number): LaunchClaims => ({
  fileId: 'Ab12Cd34',
  action: 'edit',
  userId: 'editor',
  userName: 'Ada Editor',
  permissions: 'edit',
  profile: 'simulator',
  expiresAt,
});

void test('a minted link verifies for its file and carries every claim', () => {
  const { links, now } = setup();
  const c = claims(now() + 600_000);
  const token = links.mint(c);
  assert.match(token, /^[A-Za-z0-9]+$/, 'links are alphanumeric so no URL handling can change them');
  const check = links.verify(token, 'Ab12Cd34');
  assert.deepEqual(check, { ok: true, claims: c });
  const viewer = links.mint({
    ...c,
    permissions: 'view',
    userId: 'viewer',
    userName: 'Victor Viewer',
    action: 'view',
  });
  const v = links.verify(viewer, 'Ab12Cd34');
  assert.ok(v.ok);
  assert.equal(v.claims.permissions, 'view');
  assert.equal(v.claims.action, 'view');
});

void test('any changed character is rejected as a bad signature or malformed', () => {
  const { links, now } = setup();
  const token = links.mint(claims(now() + 600_000));
  // Flip characters across the payload and the signature.
  for (const at of [3, 10, Math.floor(token.length / 2), token.length - 5, token.length - 1]) {
    const ch = token[at]!;
    const swapped = ch === 'a' ? 'b' : 'a';
    const tampered = token.slice(0, at) + swapped + token.slice(at + 1);
    const check = links.verify(tampered, 'Ab12Cd34');
    assert.equal(check.ok, false, `tampering at ${at} must be rejected`);
    if (!check.ok) assert.ok(['bad-signature', 'malformed'].includes(check.reason), check.reason);
  }
  assert.deepEqual(links.verify(`${token}%`, 'Ab12Cd34'), { ok: false, reason: 'malformed' });
  assert.deepEqual(links.verify('', 'Ab12Cd34'), { ok: false, reason: 'malformed' });
});

void test('a link from another secret does not verify', () => {
  const a = setup();
  const b = setup();
  const token = a.links.mint(claims(a.now() + 600_000));
  assert.deepEqual(b.links.verify(token, 'Ab12Cd34'), { ok: false, reason: 'bad-signature' });
});

void test('links expire at their expiry and name it; they are bound to one file', () => {
  const { links, advance, now } = setup();
  const expiresAt = now() + 600_000;
  const token = links.mint(claims(expiresAt));
  advance(599_999);
  assert.equal(links.verify(token, 'Ab12Cd34').ok, true);
  advance(1);
  const expired = links.verify(token, 'Ab12Cd34');
  assert.equal(expired.ok, false);
  if (!expired.ok) {
    assert.equal(expired.reason, 'expired');
    assert.equal(expired.claims?.expiresAt, expiresAt);
  }
  const fresh = links.mint(claims(now() + 1000));
  const other = links.verify(fresh, 'SomeOtherId');
  assert.equal(other.ok, false);
  if (!other.ok) assert.equal(other.reason, 'other-file');
});

void test('host-page session tokens are separate from launch links', () => {
  const { links, advance, now } = setup();
  const session = links.mintSession({ sessionId: 'abc123', fileId: 'Ab12Cd34', expiresAt: now() + 1000 });
  assert.deepEqual(links.verifySession(session), {
    ok: true,
    claims: { sessionId: 'abc123', fileId: 'Ab12Cd34', expiresAt: now() + 1000 },
  });
  const launch = links.mint(claims(now() + 1000));
  assert.equal(links.verifySession(launch).ok, false, 'a launch link is not a session token');
  assert.equal(links.verify(session, 'Ab12Cd34').ok, false, 'a session token is not a launch link');
  advance(1000);
  const expired = links.verifySession(session);
  assert.equal(expired.ok, false);
  if (!expired.ok) assert.equal(expired.reason, 'expired');
});

void test('launchUrl puts the file id, action and signed link on the public base', () => {
  assert.equal(
    launchUrl('https://wopi.example.test', 'Ab12', 'edit', 'ln1abc'),
    'https://wopi.example.test/host/Ab12?action=edit&l=ln1abc',
  );
});
