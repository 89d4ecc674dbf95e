// renderer/state/request-filter.ts: what each filter keeps, and the same filter as server query params.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EMPTY_FILTER,
  filterToQuery,
  isFilterActive,
  makeMatcher,
  statusClassOf,
  type RequestFilter,
} from '../../renderer/state/request-filter';
import { makeRecord } from '../helpers/request-records';

const records = Array.from({ length: 80 }, (_, i) => makeRecord(i));
const ids = (filter: Partial<RequestFilter>): string[] =>
  records.filter(makeMatcher({ ...EMPTY_FILTER, ...filter })).map((r) => r.id);

void describe('request filter', () => {
  void it('classifies statuses, with 0 (no answer) and odd codes as "other"', () => {
    assert.equal(statusClassOf(200), '2xx');
    assert.equal(statusClassOf(302), '3xx');
    assert.equal(statusClassOf(409), '4xx');
    assert.equal(statusClassOf(501), '5xx');
    assert.equal(statusClassOf(0), 'other');
    assert.equal(statusClassOf(600), 'other');
  });

  void it('is inactive when empty or only whitespace is typed', () => {
    assert.equal(isFilterActive(EMPTY_FILTER), false);
    assert.equal(isFilterActive({ ...EMPTY_FILTER, text: '   ' }), false);
    assert.equal(isFilterActive({ ...EMPTY_FILTER, statusClass: '4xx' }), true);
  });

  void it('keeps everything when empty', () => {
    assert.equal(ids({}).length, records.length);
  });

  void it('filters by operation, file and status class, combined with AND', () => {
    const puts = ids({ operation: 'PutFile' });
    assert.ok(puts.length > 0);
    assert.ok(puts.every((id) => records.find((r) => r.id === id)!.operation === 'PutFile'));
    const conflicts = ids({ statusClass: '4xx' });
    assert.ok(conflicts.length > 0 && conflicts.length < puts.length);
    assert.deepEqual(ids({ operation: 'PutFile', statusClass: '4xx' }), conflicts);
    assert.deepEqual(
      ids({ operation: 'PutFile', statusClass: '2xx' }).length,
      puts.length - conflicts.length,
    );
    const f2 = ids({ fileId: 'f2' });
    assert.ok(f2.every((id) => records.find((r) => r.id === id)!.fileId === 'f2'));
    assert.deepEqual(
      ids({ fileId: 'f2', operation: 'Lock' }),
      ids({ operation: 'Lock' }).filter((id) => f2.includes(id)),
    );
  });

  void it('searches path, headers, decoded fields and the why, case-insensitively, every word required', () => {
    assert.deepEqual(
      ids({ text: 'SOMEONE-ELSE' }),
      ids({ statusClass: '4xx' }),
      'the 409s name the other lock',
    );
    assert.deepEqual(ids({ text: 'corr-17' }), ['r17'], 'request header value');
    assert.deepEqual(ids({ text: 'q3-forecast' }), ids({ fileId: 'f2' }), 'file path');
    assert.ok(ids({ text: 'grace' }).length > 0, 'user name');
    assert.deepEqual(
      ids({ text: 'x-wopi-override: refresh_lock' }),
      ids({ operation: 'RefreshLock' }),
      'header name and value',
    );
    const both = ids({ text: 'grace   q3-forecast' });
    assert.ok(both.length > 0);
    assert.ok(both.every((id) => ids({ text: 'grace' }).includes(id) && ids({ fileId: 'f2' }).includes(id)));
    assert.deepEqual(ids({ text: 'no-such-thing' }), []);
  });

  void it('turns into server query params, leaving out what the server cannot filter', () => {
    assert.deepEqual(filterToQuery(EMPTY_FILTER), {});
    assert.deepEqual(
      filterToQuery({ operation: 'Lock', fileId: 'f1', statusClass: '4xx', text: '  lock-3 ' }),
      { operation: 'Lock', fileId: 'f1', status: '4xx', q: 'lock-3' },
    );
    assert.deepEqual(filterToQuery({ ...EMPTY_FILTER, statusClass: 'other' }), {});
  });
});
