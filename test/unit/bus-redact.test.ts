import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { createEventBus } from '../../server/events/bus';
import {
  redactHeaders,
  redactMessage,
  redactQuery,
  redactRecord,
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
