// The protocol linter on the proxy's traffic: the same scripted WOPI session (locks, conflicts and
// probes, saves, Save As, an unknown override, an unknown file, a size limit) goes through
// `serve --upstream` to a host written apart from ours (test/helpers/mini-host.ts). Correct, it earns
// no finding; with one classic mistake switched on, exactly that mistake's rule fires, on the request
// that shows it. Our own host behind the proxy earns none either.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RequestRecord } from '../../server/contracts/api';
import { makeRoot, startEngine } from '../helpers/engine-fixture';
import type { EngineBench } from '../helpers/engine-fixture';
import { startMiniHost } from '../helpers/mini-host';
import type { Mistake } from '../helpers/mini-host';
import { sendRequest } from '../helpers/wopi-client';

interface Step {
  name: string;
  method: 'GET' | 'POST';
  contents?: boolean;
  /** Another file id than the session's. */
  fileId?: string;
  headers?: Record<string, string>;
  body?: string;
}

const lockOp = (name: string, override: string, lock: string, oldLock?: string): Step => ({
  name,
  method: 'POST',
  headers: {
    'X-WOPI-Override': override,
    'X-WOPI-Lock': lock,
    ...(oldLock ? { 'X-WOPI-OldLock': oldLock } : {}),
  },
});

/** What Office and the validator do to one file, in order; each step is one request. */
const SESSION: readonly Step[] = [
  { name: 'CheckFileInfo', method: 'GET' },
  { name: 'GetFile', method: 'GET', contents: true },
  lockOp('Lock A', 'LOCK', 'A'),
  { name: 'GetLock', method: 'POST', headers: { 'X-WOPI-Override': 'GET_LOCK' } },
  lockOp('Lock B (conflict)', 'LOCK', 'B'),
  lockOp('RefreshLock a (case differs)', 'REFRESH_LOCK', 'a'),
  lockOp('RefreshLock A', 'REFRESH_LOCK', 'A'),
  {
    name: 'PutFile',
    method: 'POST',
    contents: true,
    headers: { 'X-WOPI-Override': 'PUT', 'X-WOPI-Lock': 'A' },
    body: 'new content',
  },
  { name: 'CheckFileInfo after save', method: 'GET' },
  lockOp('Unlock wrong (conflict)', 'UNLOCK', 'WRONG'),
  lockOp('UnlockAndRelock A->C', 'LOCK', 'C', 'A'),
  lockOp('Unlock C', 'UNLOCK', 'C'),
  {
    name: 'PutRelativeFile',
    method: 'POST',
    headers: { 'X-WOPI-Override': 'PUT_RELATIVE', 'X-WOPI-SuggestedTarget': '.copy.docx' },
    body: 'copy',
  },
  { name: 'Unknown override', method: 'POST', headers: { 'X-WOPI-Override': 'MADE_UP_OPERATION' } },
  { name: 'CheckFileInfo of an unknown id', method: 'GET', fileId: 'no-such-file' },
  {
    name: 'GetFile over MaxExpectedSize',
    method: 'GET',
    contents: true,
    headers: { 'X-WOPI-MaxExpectedSize': '1' },
  },
];

/** Runs SESSION through the proxy `b` against `fileId`; the rule ids found on each step's record. */
async function runSession(b: EngineBench, fileId: string, token: string): Promise<Record<string, string[]>> {
  const records = new Map<string, RequestRecord>();
  const off = b.engine.bus.on('request:completed', (e) => {
    const m = /(?:^|&)step=([^&]+)/.exec(e.data.query);
    if (m) records.set(decodeURIComponent(m[1]!), e.data);
  });
  try {
    for (const s of SESSION) {
      const url = `${b.engine.wopiUrl()}/wopi/files/${s.fileId ?? fileId}${s.contents ? '/contents' : ''}?access_token=${token}&step=${encodeURIComponent(s.name)}`;
      await sendRequest({ method: s.method, url, headers: s.headers, body: s.body });
    }
    const deadline = Date.now() + 10_000;
    while (records.size < SESSION.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
  } finally {
    off();
  }
  assert.equal(records.size, SESSION.length, 'every step was recorded');
  return Object.fromEntries(
    SESSION.map((s) => [s.name, (records.get(s.name)!.findings ?? []).map((f) => f.rule)]),
  );
}

const noFindings = (): Record<string, string[]> => Object.fromEntries(SESSION.map((s) => [s.name, []]));

/** Each mistake, and the findings it must cause (step -> rules); every other step stays clean. */
const EXPECTED: ReadonlyArray<[Mistake, Record<string, string[]>]> = [
  [
    'conflict-without-lock-header',
    {
      'Lock B (conflict)': ['lock-conflict-missing-header'],
      'RefreshLock a (case differs)': ['lock-conflict-missing-header'],
      'Unlock wrong (conflict)': ['lock-conflict-missing-header'],
    },
  ],
  [
    'conflict-as-400',
    {
      'Lock B (conflict)': ['lock-conflict-wrong-status'],
      'RefreshLock a (case differs)': ['lock-conflict-wrong-status'],
      'Unlock wrong (conflict)': ['lock-conflict-wrong-status'],
    },
  ],
  ['lock-id-case-insensitive', { 'RefreshLock a (case differs)': ['lock-conflict-wrong-status'] }],
  ['version-unchanged-on-put', { PutFile: ['version-unchanged-after-putfile'] }],
  ['unknown-file-500', { 'CheckFileInfo of an unknown id': ['unknown-file-server-error'] }],
  ['unknown-override-200', { 'Unknown override': ['unknown-override-accepted'] }],
  ['ignores-max-expected-size', { 'GetFile over MaxExpectedSize': ['max-expected-size-ignored'] }],
  ['put-relative-without-url', { PutRelativeFile: ['put-relative-missing-name-url'] }],
  [
    'file-info-missing-owner',
    {
      CheckFileInfo: ['checkfileinfo-required-property', 'checkfileinfo-property-type'],
      'CheckFileInfo after save': ['checkfileinfo-required-property', 'checkfileinfo-property-type'],
    },
  ],
];

/** The session through a fresh proxy in front of a fresh mini host with `mistakes` switched on. */
async function throughProxy(mistakes: Mistake[]): Promise<Record<string, string[]>> {
  const mini = await startMiniHost({ files: { 'Report.docx': Buffer.from('original') }, mistakes });
  const b = await startEngine(await makeRoot('wb-proxy-lint-'), { upstream: mini.url });
  try {
    const fileId = mini.wopiSrc('Report.docx').split('/').pop()!;
    return await runSession(b, fileId, mini.token('Report.docx'));
  } finally {
    await b.dispose();
    await mini.close();
  }
}

describe('the protocol linter behind serve --upstream', { timeout: 120_000 }, () => {
  it('finds nothing on a correct host', async () => {
    assert.deepEqual(await throughProxy([]), noFindings());
  });

  for (const [mistake, expected] of EXPECTED) {
    it(`flags "${mistake}" on the request that shows it, and nothing else`, async () => {
      assert.deepEqual(await throughProxy([mistake]), { ...noFindings(), ...expected });
    });
  }

  describe('our own host behind the proxy', () => {
    let own: EngineBench;
    let proxy: EngineBench;
    before(async () => {
      own = await startEngine(await makeRoot('wb-proxy-own-'));
      proxy = await startEngine(await makeRoot('wb-proxy-front-'), { upstream: own.engine.wopiUrl() });
    });
    after(async () => {
      await proxy?.dispose();
      await own?.dispose();
    });

    it('earns no finding through the whole session', async () => {
      const f = await own.file('Report.docx', 'original');
      const found = await runSession(proxy, f.id, f.accessToken);
      assert.deepEqual(found, noFindings());
    });
  });
});
