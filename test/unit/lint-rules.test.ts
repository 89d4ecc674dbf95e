// The protocol linter, rule by rule, on request records shaped as the host, the proxy and a
// conformance client write them: each rule fires on the exchange that breaks it and stays quiet on
// the answer the protocol wants (the linter is pure: records in, findings out).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { RequestRecord, WopiOperation } from '../../server/contracts/api';
import { createLinter, RULES, rulesMarkdown } from '../../server/lint';
import { FILE_INFO_PROPERTIES } from '../../server/conformance/file-info-schema';
import { CHECKFILEINFO_TYPES } from '../../server/lint/checkfileinfo-properties';

const OVERRIDE: Partial<Record<WopiOperation, string>> = {
  Lock: 'LOCK',
  UnlockAndRelock: 'LOCK',
  GetLock: 'GET_LOCK',
  RefreshLock: 'REFRESH_LOCK',
  Unlock: 'UNLOCK',
  PutFile: 'PUT',
  PutRelativeFile: 'PUT_RELATIVE',
  RenameFile: 'RENAME_FILE',
  DeleteFile: 'DELETE',
};

interface Ex {
  op: WopiOperation;
  status: number;
  reqHeaders?: Record<string, string>;
  resHeaders?: Record<string, string>;
  json?: unknown;
  fileId?: string;
  /** Fractional (precise) epoch ms, as the proxy records them. */
  at?: number;
  ms?: number;
  extra?: Partial<RequestRecord>;
}

let clock = 1_750_000_000_000.25;

function record(e: Ex): RequestRecord {
  const startedAt = e.at ?? (clock += 10);
  const override = OVERRIDE[e.op];
  const fileId = e.fileId ?? 'F1';
  const contents = e.op === 'GetFile' || e.op === 'PutFile';
  const text =
    e.json === undefined ? undefined : typeof e.json === 'string' ? e.json : JSON.stringify(e.json);
  return {
    id: `r${startedAt}`,
    startedAt,
    durationMs: e.ms ?? 1.5,
    method: e.op === 'CheckFileInfo' || e.op === 'GetFile' ? 'GET' : 'POST',
    path: `/wopi/files/${fileId}${contents ? '/contents' : ''}`,
    query: 'access_token=abc123',
    operation: e.op,
    ...(override ? { override } : {}),
    fileId,
    status: e.status,
    requestHeaders: { host: 'h', ...(override ? { 'x-wopi-override': override } : {}), ...e.reqHeaders },
    responseHeaders: { ...e.resHeaders },
    ...(text !== undefined ? { responseBody: { size: text.length, text } } : {}),
    source: 'check',
    ...e.extra,
  };
}

/** A linter fed `exs` in order; the rule ids found on each. */
function lintAll(exs: Ex[], linter = createLinter()): string[][] {
  return exs.map((e) => linter.lint(record(e)).map((f) => f.rule));
}

const GOOD_CFI = {
  BaseFileName: 'a.docx',
  OwnerId: 'o',
  Size: 3,
  UserId: 'u',
  Version: '1',
  UserFriendlyName: 'U',
};

describe('lint rules', () => {
  it('every rule has a stable kebab-case id, a doc line and a citation, and the ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of RULES) {
      assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(r.doc.length > 20 && !r.doc.includes('\n'), r.id);
      assert.match(r.cite, /PROTOCOL\.md|PITFALLS\.md/, r.id);
    }
  });

  it('docs/LINT-RULES.md is the one written from the rule table', async () => {
    const onDisk = await readFile(new URL('../../docs/LINT-RULES.md', import.meta.url), 'utf8');
    assert.equal(onDisk, rulesMarkdown(), 'run: node --import tsx scripts/lint-rules-doc.ts');
  });

  it("the linter's CheckFileInfo property types are the conformance schema's", () => {
    const fromSchema = Object.fromEntries(
      Object.entries(FILE_INFO_PROPERTIES).map(([k, v]) => [k, v.type === 'array' ? 'string[]' : v.type]),
    );
    assert.deepEqual({ ...CHECKFILEINFO_TYPES }, fromSchema);
  });

  it('409 without X-WOPI-Lock on a lock operation; not on PutRelativeFile (a name conflict needs none)', () => {
    assert.deepEqual(
      lintAll([
        { op: 'Unlock', status: 409, reqHeaders: { 'x-wopi-lock': 'A' } },
        { op: 'Unlock', status: 409, reqHeaders: { 'x-wopi-lock': 'A' }, resHeaders: { 'x-wopi-lock': '' } },
        { op: 'PutRelativeFile', status: 409 },
        { op: 'PutFile', status: 409, resHeaders: { 'X-WOPI-Lock': 'B' } },
      ]),
      [['lock-conflict-missing-header'], [], [], []],
    );
  });

  it('a conflict answered with another status than 409, by the lock the traffic showed', () => {
    const lock = (id: string, status = 200): Ex => ({
      op: 'Lock',
      status,
      reqHeaders: { 'x-wopi-lock': id },
    });
    assert.deepEqual(
      lintAll([
        lock('A'),
        lock('A'), // same id: a refresh
        lock('B'), // another id while locked with A, answered 200
        { op: 'Unlock', status: 200, reqHeaders: { 'x-wopi-lock': 'B' } }, // the traffic now says B
        lock('C', 500), // unlocked since the Unlock above: no conflict, only a server error
        { op: 'GetLock', status: 200, resHeaders: { 'x-wopi-lock': 'D' } },
        { op: 'PutFile', status: 200 }, // no lock on a locked file
        { op: 'PutFile', status: 401 }, // refused for its token first: fine
        { op: 'UnlockAndRelock', status: 400, reqHeaders: { 'x-wopi-lock': 'E', 'x-wopi-oldlock': 'X' } },
        {
          op: 'RefreshLock',
          status: 409,
          reqHeaders: { 'x-wopi-lock': 'X' },
          resHeaders: { 'x-wopi-lock': 'D' },
        },
      ]),
      [
        [],
        [],
        ['lock-conflict-wrong-status'],
        [],
        ['server-error'],
        [],
        ['lock-conflict-wrong-status'],
        [],
        ['lock-conflict-wrong-status'],
        [],
      ],
    );
  });

  it("takes the lock before from the producer's record (host, proxy) instead of guessing it", () => {
    const linter = createLinter();
    const mk = (lockBefore: string | null | undefined, status: number) =>
      record({
        op: 'Lock',
        status,
        reqHeaders: { 'x-wopi-lock': 'B' },
        extra: { source: 'proxy', upstream: 'http://up.example/wopi/files/F1', lockBefore },
      });
    assert.deepEqual(
      linter.lint(mk('A', 200)).map((f) => f.rule),
      ['lock-conflict-wrong-status'],
    );
    assert.deepEqual(linter.lint(mk(undefined, 200)), []);
    assert.deepEqual(linter.lint(mk(null, 200)), []);
    const [f] = linter.lint(mk('A', 200));
    assert.match(f!.message, /Lock with lock "B" on a file locked with "A" was answered 200 instead of 409/);
  });

  it('GetLock 200 without X-WOPI-Lock', () => {
    assert.deepEqual(
      lintAll([
        { op: 'GetLock', status: 200 },
        { op: 'GetLock', status: 200, resHeaders: { 'x-wopi-lock': '' } },
      ]),
      [['getlock-missing-header'], []],
    );
  });

  it('CheckFileInfo: not JSON, required properties, types and nulls, UserFriendlyName', () => {
    const { UserId: _u, Version: _v, ...noIds } = GOOD_CFI;
    const { UserFriendlyName: _n, ...noName } = GOOD_CFI;
    assert.deepEqual(
      lintAll([
        { op: 'CheckFileInfo', status: 200, json: GOOD_CFI },
        { op: 'CheckFileInfo', status: 200, json: '<html>' },
        { op: 'CheckFileInfo', status: 200, json: noIds },
        { op: 'CheckFileInfo', status: 200, json: { ...noIds, IsAnonymousUser: true, Version: '2' } },
        { op: 'CheckFileInfo', status: 200, json: { ...GOOD_CFI, Version: 3, Size: '3', CloseUrl: null } },
        { op: 'CheckFileInfo', status: 200, json: noName },
        { op: 'CheckFileInfo', status: 404, json: '<html>' },
      ]),
      [
        [],
        ['checkfileinfo-not-json'],
        ['checkfileinfo-required-property'],
        [],
        ['checkfileinfo-property-type'],
        ['checkfileinfo-no-friendly-name'],
        [],
      ],
    );
    const linter = createLinter();
    const [f] = linter.lint(record({ op: 'CheckFileInfo', status: 200, json: noIds }));
    assert.match(f!.message, /lacks UserId, Version/);
    const [t] = linter.lint(
      record({ op: 'CheckFileInfo', status: 200, json: { ...GOOD_CFI, Version: 3, CloseUrl: null } }),
    );
    assert.match(t!.message, /Version is 3, not a string; CloseUrl is null/);
  });

  it('a CheckFileInfo cut at the inline limit is not judged', () => {
    const linter = createLinter();
    const rec = record({ op: 'CheckFileInfo', status: 200, json: '{"BaseFileName":"a' });
    rec.responseBody!.truncated = true;
    assert.deepEqual(linter.lint(rec), []);
  });

  it('PutRelativeFile 200 without Name or Url', () => {
    assert.deepEqual(
      lintAll([
        {
          op: 'PutRelativeFile',
          status: 200,
          json: { Name: 'b.docx', Url: 'http://h/wopi/files/2?access_token=x' },
        },
        { op: 'PutRelativeFile', status: 200, json: { Name: 'b.docx' } },
        { op: 'PutRelativeFile', status: 200 },
      ]),
      [[], ['put-relative-missing-name-url'], ['put-relative-missing-name-url']],
    );
  });

  it('Version unchanged by a PutFile: on its X-WOPI-ItemVersion, or on the next CheckFileInfo', () => {
    const cfi = (v: string): Ex => ({ op: 'CheckFileInfo', status: 200, json: { ...GOOD_CFI, Version: v } });
    const put = (item?: string): Ex => ({
      op: 'PutFile',
      status: 200,
      reqHeaders: { 'x-wopi-lock': 'L' },
      resHeaders: item === undefined ? {} : { 'x-wopi-itemversion': item },
    });
    assert.deepEqual(lintAll([cfi('1'), put('2'), put('2'), cfi('2'), put(), cfi('2'), put(), cfi('3')]), [
      [],
      [],
      ['version-unchanged-after-putfile'],
      [],
      [],
      ['version-unchanged-after-putfile'],
      [],
      [],
    ]);
  });

  it('does not take a CheckFileInfo that overlapped a PutFile for the Version before it', () => {
    const t = 1_750_000_100_000.5;
    // The CheckFileInfo starts before the save and ends after it started: it may show the new version.
    assert.deepEqual(
      lintAll([
        { op: 'CheckFileInfo', status: 200, json: GOOD_CFI, at: t, ms: 1 },
        { op: 'CheckFileInfo', status: 200, json: { ...GOOD_CFI, Version: '2' }, at: t + 2, ms: 5 },
        {
          op: 'PutFile',
          status: 200,
          at: t + 3,
          ms: 6,
          reqHeaders: { 'x-wopi-lock': 'L' },
          resHeaders: { 'x-wopi-itemversion': '2' },
        },
      ]),
      [[], [], []],
    );
    // Whole-millisecond starts (this host's records) need a millisecond of room to count as "before".
    const w = 1_750_000_200_000;
    assert.deepEqual(
      lintAll([
        { op: 'CheckFileInfo', status: 200, json: GOOD_CFI, at: w, ms: 0.4 },
        { op: 'PutFile', status: 200, at: w + 1, ms: 1, resHeaders: { 'x-wopi-itemversion': '1' } },
        { op: 'PutFile', status: 200, at: w + 5, ms: 1, resHeaders: { 'x-wopi-itemversion': '1' } },
      ]),
      [[], [], ['version-unchanged-after-putfile']],
    );
  });

  it('GetFile larger than X-WOPI-MaxExpectedSize answered 200', () => {
    const get = (max: string, size: string, status = 200): Ex => ({
      op: 'GetFile',
      status,
      reqHeaders: { 'x-wopi-maxexpectedsize': max },
      resHeaders: { 'content-length': size },
    });
    assert.deepEqual(lintAll([get('10', '11'), get('10', '10'), get('10', '0', 412)]), [
      ['max-expected-size-ignored'],
      [],
      [],
    ]);
  });

  it('2xx for an override that names no operation (POST only; documented ones may be supported)', () => {
    const post = (o: string, status: number, method = 'POST'): Ex => ({
      op: 'Unsupported',
      status,
      reqHeaders: { 'x-wopi-override': o },
      extra: { override: o, method },
    });
    assert.deepEqual(
      lintAll([
        post('MADE_UP', 200),
        post('MADE_UP', 501),
        post('get_share_url', 200),
        post('X', 200, 'GET'),
      ]),
      [['unknown-override-accepted'], [], [], []],
    );
  });

  it('5xx: an unknown file id (never answered 2xx) should be 404; others are a warning; proof failures and 501 are not', () => {
    const cfi = (status: number, fileId: string, extra: Partial<RequestRecord> = {}): Ex => ({
      op: 'CheckFileInfo',
      status,
      fileId,
      ...(status === 200 ? { json: GOOD_CFI } : {}),
      extra,
    });
    const rejected = {
      proof: {
        mode: 'enforce' as const,
        outcome: 'invalid' as const,
        reason: 'no',
        urlVerified: 'u',
        rejected: true,
      },
    };
    assert.deepEqual(
      lintAll([
        cfi(500, 'nope'),
        cfi(200, 'known'),
        cfi(503, 'known'),
        cfi(500, 'other', rejected),
        { op: 'Unsupported', status: 501, reqHeaders: { 'x-wopi-override': 'GET_SHARE_URL' } },
      ]),
      [['unknown-file-server-error'], [], ['server-error'], [], []],
    );
  });

  it('GetFile slower than the 60-second download timeout', () => {
    assert.deepEqual(
      lintAll([
        { op: 'GetFile', status: 200, ms: 61_000 },
        { op: 'GetFile', status: 200, ms: 59_000 },
      ]),
      [['getfile-slower-than-timeout'], []],
    );
  });

  it('a token the host accepted with characters proof URL matching cannot rely on, once per token, never quoted', () => {
    const linter = createLinter();
    const withToken = (q: string, status = 200) =>
      linter.lint(record({ op: 'CheckFileInfo', status, json: GOOD_CFI, extra: { query: q } })).map((f) => f);
    const first = withToken('access_token=Zq9%2FXy7%2BWv&access_token_ttl=0');
    assert.deepEqual(
      first.map((f) => f.rule),
      ['token-breaks-proof-url'],
    );
    assert.match(first[0]!.message, /holds "\/" "\+" \(percent-escaped in the URL\)/);
    assert.doesNotMatch(first[0]!.message, /Zq9|Xy7|Wv/);
    assert.deepEqual(withToken('access_token=Zq9%2FXy7%2BWv&access_token_ttl=0'), [], 'reported once');
    assert.deepEqual(
      withToken('access_token=other%7Etoken', 401),
      [],
      'a token the host refused is the client’s',
    );
    assert.deepEqual(withToken('access_token=Plain-token_1.2~3'), []);
  });

  it('an exchange the client left before any answer is not judged, and hosts keep separate file states', () => {
    const linter = createLinter();
    assert.deepEqual(linter.lint(record({ op: 'GetLock', status: 0 })), []);
    const on = (upstream: string, ex: Ex) =>
      linter.lint(record({ ...ex, extra: { source: 'proxy', upstream } })).map((f) => f.rule);
    assert.deepEqual(
      on('http://a.example/wopi/files/F1', { op: 'CheckFileInfo', status: 200, json: GOOD_CFI }),
      [],
    );
    // The same file id on another host was never answered there.
    assert.deepEqual(on('http://b.example/wopi/files/F1', { op: 'CheckFileInfo', status: 500 }), [
      'unknown-file-server-error',
    ]);
    assert.deepEqual(on('http://a.example/wopi/files/F1', { op: 'CheckFileInfo', status: 500 }), [
      'server-error',
    ]);
  });
});
