// Each case can fail: run through the real runner against the mini host (a WOPI host written apart
// from ours), a case passes while the host is correct, and fails with the expected/actual it should
// once the host makes the classic mistake the case is about. Mistakes the mini host has no switch
// for are made by a small front that rewrites its answers.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { CheckCaseResult } from '../../../server/contracts/api';
import { ALL_GROUPS } from '../../../server/conformance/cases/index';
import { runCheck } from '../../../server/conformance/runner';
import { startMiniHost } from '../../helpers/mini-host';
import type { Mistake } from '../../helpers/mini-host';

const NAME = 'doc.wopitest';
const TEST_TIMEOUT = { timeout: 60_000 };
// The groups these cases belong to (server/conformance/cases: check-file-info, viewing, locks,
// edit-flows, file-version).
const GROUPS = [
  'CheckFileInfoSchema',
  'BaseWopiViewing',
  'Locks',
  'GetLock',
  'ExtendedLockLength',
  'EditFlows',
  'FileVersion',
];

/** Runs the one case `caseId` (`Group.Name`) against `wopiSrc` and returns its result. */
async function runCase(caseId: string, wopiSrc: string, accessToken: string): Promise<CheckCaseResult> {
  const group = ALL_GROUPS.find((g) => caseId.startsWith(`${g.id}.`));
  const c = group?.cases.find((k) => `${group.id}.${k.name}` === caseId);
  assert.ok(group && c, `no case ${caseId}`);
  const run = await runCheck({
    target: { wopiSrc, accessToken },
    ownHost: false,
    record: () => undefined,
    groupsTable: [{ ...group, cases: [c] }],
  });
  assert.equal(run.state, 'done', run.error);
  const result = run.groups.flatMap((g) => g.cases).find((r) => r.id === caseId);
  assert.ok(result, `${caseId} did not run`);
  return result;
}

interface Row {
  caseId: string;
  expected: string;
  actual: RegExp;
}

/** The case passes against the correct host and fails as `row` says once the host makes `mistake`. */
async function expectCaughtMistake(mistake: Mistake, row: Row): Promise<void> {
  // A host of its own for each run, so versions and bytes start the same in both.
  for (const mistakes of [[], [mistake]]) {
    const host = await startMiniHost({ files: { [NAME]: Buffer.from('x') }, mistakes });
    try {
      const r = await runCase(row.caseId, host.wopiSrc(NAME), host.token(NAME));
      if (mistakes.length === 0) {
        assert.equal(r.status, 'pass', `${row.caseId} against the correct host: ${JSON.stringify(r)}`);
        continue;
      }
      assert.equal(r.status, 'fail', `${row.caseId} with ${mistake}: ${JSON.stringify(r)}`);
      assert.equal(r.expected, row.expected);
      assert.match(r.actual ?? '', row.actual);
      assert.ok(r.exchanges.length > 0, 'the failing case lists its exchanges');
    } finally {
      await host.close();
    }
  }
}

type Rewrite = (
  req: { method: string; path: string; override?: string },
  res: { status: number; headers: Record<string, string>; body: Buffer },
) => void;

/** A front on a port of its own that passes everything to `upstream` and lets `rewrite` change the answer. */
async function startRewritingFront(
  upstream: string,
  rewrite: Rewrite,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = new URL(req.url ?? '/', upstream);
      const headers = { ...req.headers, host: target.host };
      const out = http.request(target, { method: req.method, headers }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          const answer = {
            status: up.statusCode ?? 502,
            headers: Object.fromEntries(
              Object.entries(up.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
            ),
            body: Buffer.concat(body),
          };
          const override = req.headers['x-wopi-override'];
          rewrite(
            {
              method: req.method ?? '',
              path: target.pathname,
              ...(typeof override === 'string' ? { override } : {}),
            },
            answer,
          );
          answer.headers['content-length'] = String(answer.body.length);
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        });
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The case passes through a front that changes nothing, and fails as `row` says through `rewrite`. */
async function expectCaughtRewrite(rewrite: Rewrite, row: Row): Promise<void> {
  // A host and front of their own for each run, so versions and bytes start the same in both.
  for (const active of [false, true]) {
    const host = await startMiniHost({ files: { [NAME]: Buffer.from('x') } });
    const front = await startRewritingFront(host.url, (req, res) => {
      if (active) rewrite(req, res);
    });
    try {
      const r = await runCase(row.caseId, host.wopiSrc(NAME).replace(host.url, front.url), host.token(NAME));
      if (!active) {
        assert.equal(r.status, 'pass', `${row.caseId} through a transparent front: ${JSON.stringify(r)}`);
        continue;
      }
      assert.equal(r.status, 'fail', `${row.caseId} through the rewrite: ${JSON.stringify(r)}`);
      assert.equal(r.expected, row.expected);
      assert.match(r.actual ?? '', row.actual);
    } finally {
      await front.close();
      await host.close();
    }
  }
}

const isCheckFileInfo = (req: { method: string; path: string }): boolean =>
  req.method === 'GET' && !req.path.endsWith('/contents');

void describe('conformance cases fail on the mistakes they are about', () => {
  void it('the correct mini host passes every case of these groups', TEST_TIMEOUT, async () => {
    const host = await startMiniHost({ files: { [NAME]: Buffer.from('x') } });
    try {
      const run = await runCheck({
        target: { wopiSrc: host.wopiSrc(NAME), accessToken: host.token(NAME) },
        ownHost: false,
        record: () => undefined,
        groupsTable: ALL_GROUPS.filter((g) => GROUPS.includes(g.id)),
      });
      const ran = run.groups.filter((g) => g.id !== 'Run');
      assert.deepEqual(
        ran.map((g) => g.id),
        GROUPS,
      );
      const notPassed = ran.flatMap((g) => g.cases).filter((c) => c.status !== 'pass');
      assert.deepEqual(notPassed, [], JSON.stringify(notPassed));
    } finally {
      await host.close();
    }
  });

  void it('a 409 without X-WOPI-Lock fails the lock-mismatch cases', TEST_TIMEOUT, async () => {
    await expectCaughtMistake('conflict-without-lock-header', {
      caseId: 'Locks.LockMismatchOnUnlockRequest',
      expected: 'Unlock with a wrong id: 409 with X-WOPI-Lock: "LockString"',
      actual: /^409 \(no X-WOPI-Lock\)$/,
    });
    await expectCaughtMistake('conflict-without-lock-header', {
      caseId: 'ExtendedLockLength.ExtendedLockIdReportedInFull',
      expected: 'Lock with another id: 409 with X-WOPI-Lock the 1024-character lock id',
      actual: /^409 with X-WOPI-Lock of no characters$/,
    });
  });

  void it(
    'a lock conflict answered 400 fails Unlock on an unlocked file and the create-new 409',
    TEST_TIMEOUT,
    async () => {
      await expectCaughtMistake('conflict-as-400', {
        caseId: 'Locks.UnlockUnlockedFile',
        expected: 'Unlock on an unlocked file: 409 with X-WOPI-Lock: ""',
        actual: /^400 x-wopi-lock: ""$/,
      });
      await expectCaughtMistake('conflict-as-400', {
        caseId: 'EditFlows.PutUnlockedFileNotZeroBytes',
        expected: 'PutFile without X-WOPI-Lock on a non-empty file: 409',
        actual: /^400 /,
      });
    },
  );

  void it('lock ids compared case-insensitively fail LockIdsCompareExactly', TEST_TIMEOUT, async () => {
    await expectCaughtMistake('lock-id-case-insensitive', {
      caseId: 'Locks.LockIdsCompareExactly',
      expected: 'Unlock with "lockstring": 409 with X-WOPI-Lock: "LockString"',
      actual: /^200\b/,
    });
  });

  void it('a Version PutFile does not change fails the version cases', TEST_TIMEOUT, async () => {
    await expectCaughtMistake('version-unchanged-on-put', {
      caseId: 'FileVersion.files.PutFileReturnsDifferentVersion',
      expected: 'first PutFile: X-WOPI-ItemVersion other than the version before ("v1")',
      actual: /^X-WOPI-ItemVersion: "v1"$/,
    });
    await expectCaughtMistake('version-unchanged-on-put', {
      caseId: 'FileVersion.VersionsNeverRepeat',
      expected: 'PutFile #1: a version not used before ("v1")',
      actual: /^X-WOPI-ItemVersion: "v1"$/,
    });
  });

  void it(
    'CheckFileInfo without OwnerId and with a string Size fails the schema case',
    TEST_TIMEOUT,
    async () => {
      await expectCaughtMistake('file-info-missing-owner', {
        caseId: 'CheckFileInfoSchema.FullCheckFileInfoSchema',
        expected: 'CheckFileInfo within the schema: its 68 properties, 6 required, typed, no nulls',
        actual: /^OwnerId missing; Size is "1", not an integer$/,
      });
    },
  );

  void it('GetFile without X-WOPI-ItemVersion fails files.GetFileReturnsVersion', TEST_TIMEOUT, async () => {
    await expectCaughtRewrite(
      (req, res) => {
        if (req.method === 'GET' && req.path.endsWith('/contents')) delete res.headers['x-wopi-itemversion'];
      },
      {
        caseId: 'FileVersion.files.GetFileReturnsVersion',
        expected: 'GetFile: X-WOPI-ItemVersion present and non-empty',
        actual: /^200 x$/,
      },
    );
  });

  void it('X-WOPI-Lock on a successful Lock fails NoLockHeaderOnSuccess', TEST_TIMEOUT, async () => {
    await expectCaughtRewrite(
      (req, res) => {
        if (req.override === 'LOCK' && res.status === 200) res.headers['x-wopi-lock'] = 'LockString';
      },
      {
        caseId: 'Locks.NoLockHeaderOnSuccess',
        expected: 'Lock: 200 without X-WOPI-Lock',
        actual: /^200 x-wopi-itemversion: "v1" x-wopi-lock: "LockString"$/,
      },
    );
  });

  void it(
    'a SHA256 of other bytes, or a text/plain CheckFileInfo, fails the CheckFileInfo cases',
    TEST_TIMEOUT,
    async () => {
      const stale = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
      await expectCaughtRewrite(
        (req, res) => {
          if (!isCheckFileInfo(req)) return;
          res.body = Buffer.from(JSON.stringify({ ...JSON.parse(res.body.toString('utf8')), SHA256: stale }));
        },
        {
          caseId: 'CheckFileInfoSchema.SizeAndHashMatchContent',
          expected:
            'CheckFileInfo SHA256 "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=" (Base64 SHA-256 of the bytes GetFile returned)',
          actual: new RegExp(`^SHA256: "${stale}"$`),
        },
      );
      await expectCaughtRewrite(
        (req, res) => {
          if (isCheckFileInfo(req)) res.headers['content-type'] = 'text/plain';
        },
        {
          caseId: 'CheckFileInfoSchema.CheckFileInfoIsJson',
          expected: 'CheckFileInfo Content-Type: application/json',
          actual: /^Content-Type: "text\/plain"$/,
        },
      );
    },
  );
});
