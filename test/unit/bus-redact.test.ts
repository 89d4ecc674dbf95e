import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { createEventBus } from '../../server/events/bus';
import { createLaunchLinks, newLaunchSecret } from '../../server/auth/launch-links';
import { createTokenService, newSecret } from '../../server/auth/tokens';
import {
  redact,
  redactHeaders,
  redactMessage,
  redactQuery,
  redactRecord,
  redactText,
  redactUrl,
} from '../../server/events/redact';

test('bus seq increases and resumes from the backlog, or says it cannot', () => {
  const bus = createEventBus({ now: () => 1, backlog: 3 });
  const seen: number[] = [];
  bus.onAny((e) => seen.push(e.seq));
  for (let i = 0; i < 5; i++) bus.emit('engine:warning', { code: 'x', message: String(i) });
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.deepEqual(
    bus.since(3)?.map((e) => e.seq),
    [4, 5],
  );
  assert.deepEqual(
    bus.since(2)?.map((e) => e.seq),
    [3, 4, 5],
  );
  assert.equal(bus.since(1), null);
  assert.deepEqual(bus.since(5), []);
});

test('a throwing subscriber does not break emit', () => {
  const errors: unknown[] = [];
  const bus = createEventBus({ now: () => 1, onListenerError: (e) => errors.push(e) });
  bus.on('engine:warning', () => {
    throw new Error('boom');
  });
  let got = 0;
  bus.on('engine:warning', () => got++);
  bus.emit('engine:warning', { code: 'x', message: 'y' });
  assert.equal(got, 1);
  assert.equal(errors.length, 1);
});

test('secrets are redacted in queries, headers and bodies', () => {
  assert.equal(redactQuery('access_token=abcdef&x=1'), 'access_token=[redacted 6 chars]&x=1');
  assert.equal(
    redactUrl('http://h/wopi/files/1?access_token=abc'),
    'http://h/wopi/files/1?access_token=[redacted 3 chars]',
  );
  const h = redactHeaders({ authorization: 'Bearer secret', 'x-wopi-proof': 'sig', 'x-wopi-lock': 'L' });
  assert.deepEqual(h, {
    authorization: 'Bearer [redacted 6 chars]',
    'x-wopi-proof': '[redacted 3 chars]',
    'x-wopi-lock': 'L',
  });
  const rec: RequestRecord = {
    id: '1',
    startedAt: 0,
    durationMs: 1,
    method: 'POST',
    path: '/wopi/files/a',
    query: 'access_token=tok123',
    operation: 'PutRelativeFile',
    status: 200,
    requestHeaders: { authorization: 'Bearer tok123' },
    responseHeaders: {},
    responseBody: { size: 10, text: '{"Url":"http://h/wopi/files/b?access_token=tok456"}' },
  };
  const r = redactRecord(rec);
  assert.doesNotMatch(JSON.stringify(r), /tok123|tok456/);
  assert.equal(r.redacted, true);
  assert.match(rec.query, /tok123/, 'the original record is untouched');
});

test('PostMessage values lose token fields and token URLs, keep everything else', () => {
  const msg = {
    sessionId: 's1',
    fileId: 'f1',
    direction: 'from-client' as const,
    messageId: 'UI_FileVersions',
    at: 5,
    values: {
      Url: 'https://h/wopi/files/f1?access_token=tokABC&x=1',
      access_token: 'tokDEF',
      nested: [{ Token: 'tokGHI', Status: 200 }],
      wdUserSession: 'kept',
    },
  };
  const r = redactMessage(msg);
  assert.doesNotMatch(JSON.stringify(r), /tokABC|tokDEF|tokGHI/);
  assert.equal(r.values['Url'], 'https://h/wopi/files/f1?access_token=[redacted 6 chars]&x=1');
  assert.deepEqual(r.values['nested'], [{ Token: '[redacted 6 chars]', Status: 200 }]);
  assert.equal(r.values['wdUserSession'], 'kept');
  assert.equal(r.messageId, 'UI_FileVersions');
  assert.match(JSON.stringify(msg), /tokABC/, 'the original message is untouched');
});

/** Every string anywhere in `v` (keys included) that contains one of `needles`, with its path. */
function hits(v: unknown, needles: readonly string[], at = '$'): string[] {
  if (typeof v === 'string') return needles.some((n) => v.includes(n)) ? [`${at}: ${v}`] : [];
  if (v === null || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [
    ...(needles.some((n) => k.includes(n)) ? [`${at} key ${k}`] : []),
    ...hits(x, needles, `${at}.${k}`),
  ]);
}

void test('a record is redacted wherever a URL, header or query sits: proof verdict, why, bodies, fields added later', () => {
  const now = Date.now();
  const tokens = createTokenService(newSecret(), () => now);
  const links = createLaunchLinks(newLaunchSecret(), () => now);
  const claims = {
    fileId: 'f1',
    userId: 'u',
    userName: 'U',
    permissions: 'edit' as const,
    expiresAt: now + 60_000,
  };
  const token = tokens.mint(claims);
  const other = tokens.mint({ ...claims, fileId: 'f2' });
  const view = links.mint({ ...claims, action: 'view', profile: 'simulator' });
  const edit = links.mint({ ...claims, action: 'edit', profile: 'simulator' });
  const session = links.mintSession({ sessionId: 's', fileId: 'f1', expiresAt: now + 60_000 });
  const url = `https://pub.example/wopi/files/f1?access_token=${token}&access_token_ttl=0`;
  const launch = (l: string, action: string): string => `https://pub.example/host/f1?action=${action}&l=${l}`;
  const rec: RequestRecord & Record<string, unknown> = {
    id: '1',
    startedAt: 0,
    durationMs: 1,
    method: 'POST',
    path: '/wopi/files/f1',
    query: `access_token=${token}&access_token_ttl=0`,
    operation: 'PutRelativeFile',
    status: 500,
    why: `proof-key check failed: The proof was signed for ${url.replace('https:', 'http:')}, not ${url}`,
    requestHeaders: {
      authorization: `Bearer ${token}`,
      'x-wopi-proof': 'c2ln',
      referer: launch(view, 'view'),
    },
    responseHeaders: { 'x-wopi-servererror': `proof-key check failed for ${url}` },
    responseBody: {
      size: 10,
      text: JSON.stringify({
        Name: 'b.docx',
        Url: `https://pub.example/wopi/files/f2?access_token=${other}`,
        HostViewUrl: launch(view, 'view'),
        HostEditUrl: launch(edit, 'edit'),
      }),
    },
    proof: {
      mode: 'enforce',
      outcome: 'invalid',
      reason: `No accepted key/proof pair verified for ${url}`,
      urlVerified: url,
      wouldVerifyWith: [url.replace('https:', 'http:')],
      rejected: true,
    },
    // Not in the contract today: a field someone adds tomorrow is redacted without being listed.
    futureField: { nested: [{ launch: launch(edit, 'edit'), session: `x-host-session: ${session}` }] },
    'x-host-session': session,
  };
  const needles = [token, other, view, edit, session, token.slice(-32), view.slice(-40), edit.slice(-40)];
  const before = JSON.stringify(rec);
  const r = redactRecord(rec);
  assert.deepEqual(hits(r, needles), []);
  assert.equal(JSON.stringify(rec), before, 'the stored record is untouched');
  assert.equal(r.redacted, true);
  assert.match(
    r.proof!.urlVerified,
    /^https:\/\/pub\.example\/wopi\/files\/f1\?access_token=\[redacted \d+ chars\]&access_token_ttl=0$/,
  );
  assert.match(
    JSON.parse(r.responseBody!.text!).HostEditUrl as string,
    /\/host\/f1\?action=edit&l=\[redacted \d+ chars\]$/,
  );
  assert.equal(r.path, rec.path);
  assert.equal(r.requestHeaders['x-wopi-proof'], '[redacted 4 chars]');
  assert.deepEqual(redactRecord(r), r, 'redacting twice changes nothing');
});

void test('any event or answer: token-shaped strings, Bearer credentials and secret-named keys, however spelled', () => {
  const token = `wb1${'ab'.repeat(40)}`;
  const value = {
    message: `GET https://h/wopi/files/1?Access_Token=${token}: boom`,
    encoded: `https://client/x?WOPISrc=https%3A%2F%2Fh%2Fwopi%2Ffiles%2F1%3Faccess_token%3D${token}`,
    echoed: `sent Authorization: Bearer ${'Z'.repeat(48)}`,
    uiUrl: `http://127.0.0.1:1/#token=${'c'.repeat(48)}`,
    AccessToken: 'plain-secret-1',
    'Access-Token': 'plain-secret-2',
    Cookie: 'a=plain-secret-3',
    list: ['ok', `Bearer ${'Y'.repeat(30)}`],
  };
  const r = redact(value);
  assert.deepEqual(hits(r, [token, 'Z'.repeat(48), 'c'.repeat(48), 'plain-secret', 'Y'.repeat(30)]), []);
  assert.equal(r.list[0], 'ok');
  assert.equal(r.echoed, 'sent Authorization: Bearer [redacted 48 chars]');
});

void test('values without secrets come back as they are, not copied; too-deep nesting is not shown', () => {
  const clean = {
    type: 'file:changed',
    data: { path: 'docs/report.docx', size: 5, why: 'the access token has expired; mint a new one' },
    list: [1, 'two', { three: null }],
  };
  assert.equal(redact(clean), clean);
  let deep: unknown = `access_token=wb1${'0'.repeat(40)}`;
  for (let i = 0; i < 200; i++) deep = { d: deep };
  assert.doesNotMatch(JSON.stringify(redact(deep)), /wb10000/);
});

void test('a URL quoted in a sentence loses its token, not the punctuation after it', () => {
  const t = 'A1b2C3d4E5f6G7h8';
  const reason = `The proof was signed for https://h/wopi/files/x?access_token=${t}, not http://h/wopi/files/x?access_token=${t}: a proxy rewrote it (see ?token=${t}).`;
  assert.equal(
    redactText(reason),
    'The proof was signed for https://h/wopi/files/x?access_token=[redacted 16 chars], not http://h/wopi/files/x?access_token=[redacted 16 chars]: a proxy rewrote it (see ?token=[redacted 16 chars]).',
  );
  // Characters a token may end with (base64 padding) stay part of it.
  assert.equal(redactText(`?access_token=${t}==`), '?access_token=[redacted 18 chars]');
});
