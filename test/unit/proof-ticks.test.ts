import { test } from 'node:test';
import assert from 'node:assert/strict';
import { msToTicks, parseTimestampHeader, ticksToMs, TICKS_AT_UNIX_EPOCH } from '../../server/proof/ticks';

void test('epoch ms converts to .NET ticks and back', () => {
  assert.equal(msToTicks(0), TICKS_AT_UNIX_EPOCH);
  // 2015-04-25T20:16:01.077Z is the instant of Microsoft's first proof vector.
  const ms = Date.parse('2015-04-25T20:16:01.077Z');
  assert.equal(msToTicks(ms), 635655897610770000n);
  assert.equal(ticksToMs(635655897610773532n), ms);
});

void test('timestamps above 2^53 keep every digit', () => {
  const parsed = parseTimestampHeader('635655897610773532');
  assert.deepEqual(parsed, { ok: true, ticks: 635655897610773532n });
  // The rounding a Number() parse would introduce, which makes every signature fail.
  assert.notEqual(Number('635655897610773532').toString(), '635655897610773532');
  assert.ok(parsed.ok && parsed.ticks % 100n === 32n);
});

void test('timestamp header is parsed strictly', () => {
  for (const bad of [
    ' 635655897610773532',
    '635655897610773532 ',
    '+1',
    '-1',
    '1e18',
    '1.5',
    '0x10',
    'abc',
  ]) {
    const r = parseTimestampHeader(bad);
    assert.equal(r.ok, false, bad);
    assert.equal(!r.ok && r.error, 'not-digits', bad);
  }
  const missing = parseTimestampHeader(undefined);
  assert.equal(!missing.ok && missing.error, 'missing');
  assert.equal(!parseTimestampHeader('').ok, true);
  const tooBig = parseTimestampHeader('9223372036854775808');
  assert.equal(!tooBig.ok && tooBig.error, 'out-of-range');
  assert.equal(!parseTimestampHeader('1'.repeat(400)).ok, true);
  assert.deepEqual(parseTimestampHeader('9223372036854775807'), { ok: true, ticks: 9223372036854775807n });
  assert.deepEqual(parseTimestampHeader('000042'), { ok: true, ticks: 42n });
});
