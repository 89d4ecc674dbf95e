// Shared pieces of the conformance files (test/integration/conformance): one `serve` per file with its
// tokens, the validator's prerequisite and CheckFileInfo checks, and per-test cleanup of created files.
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before } from 'node:test';
import { startServe } from './cli-process';
import type { ServeHandle, ServeOptions, TokenOptions } from './cli-process';
import { findingsInLog } from './lint-findings';
import {
  checkFileInfo,
  deleteFile,
  expectCapabilities,
  expectStatus,
  sendRequest,
  unlock,
} from './wopi-client';
import type { WopiResponse, WopiTarget } from './wopi-client';

export const TEST_TIMEOUT = { timeout: 60_000 };
// The lock ids the validator uses.
export const LOCK = 'LockString';
export const NEW_LOCK = 'NewLockString';
export const INCORRECT_LOCK = 'IncorrectLockString';

/** A file to mint a token for: its relative path, or the path with token options. */
export type TokenFor = string | readonly [string, TokenOptions];

/**
 * Starts `serve` before the file's tests and stops it after. The returned object is filled in by the
 * `before` hook: `serve`, and one WOPI target per key of `tokens`. `viaCli` mints with the CLI's own
 * token command instead of the control API; `setup` runs once serve is up, inside the same hook (Node 20
 * does not run a file's top-level before hooks one after another, so a second hook could run too early).
 */
export function serveForSuite<K extends string>(
  options: ServeOptions,
  tokens: Record<K, TokenFor>,
  extra: { viaCli?: boolean; setup?: (serve: ServeHandle) => Promise<void> } = {},
): { serve: ServeHandle } & Record<K, WopiTarget> {
  const fixture = {} as { serve: ServeHandle } & Record<K, WopiTarget>;
  before(async () => {
    const serve = await startServe(options);
    fixture.serve = serve;
    const entries = Object.entries(tokens) as Array<[K, TokenFor]>;
    // Each CLI token command is a process of its own; mint them side by side.
    const targets = await Promise.all(
      entries.map(([, spec]) => {
        const [rel, tokenOptions] = typeof spec === 'string' ? [spec, undefined] : spec;
        return extra.viaCli === true ? serve.tokenViaCli(rel, tokenOptions) : serve.token(rel, tokenOptions);
      }),
    );
    entries.forEach(([key], i) => {
      (fixture as Record<K, WopiTarget>)[key] = targets[i]!;
    });
    await extra.setup?.(serve);
  });
  after(async () => {
    const serve = fixture.serve;
    if (serve === undefined) return;
    try {
      // Everything the suite sent was answered by our host: the protocol linter must find nothing in it.
      const found = await findingsInLog((method, route) =>
        sendRequest({
          method,
          url: `${serve.controlUrl}${route}`,
          headers: { Authorization: `Bearer ${serve.controlToken}` },
        }),
      );
      assert.deepEqual(found.slice(0, 20), [], `${found.length} lint findings on our own host`);
    } finally {
      await serve.stop();
    }
  });
  return fixture;
}

/**
 * Files a test creates, unlocked (with `lockId`) and deleted after each test, like the validator's
 * CleanupRequests. Anything else left in the folder but `keep` is then removed on disk, so one failure
 * does not cascade into the next test.
 */
export function cleanupCreatedAfterEach(
  fixture: { serve: ServeHandle },
  keep: string,
  lockId = LOCK,
): { add(target: WopiTarget): void } {
  let created: WopiTarget[] = [];
  afterEach(async () => {
    for (const target of created) {
      await unlock(target, lockId);
      await deleteFile(target);
    }
    created = [];
    for (const entry of await readdir(fixture.serve.folder)) {
      if (entry !== keep && !entry.startsWith('.'))
        await rm(path.join(fixture.serve.folder, entry), { force: true });
    }
  });
  return { add: (target) => created.push(target) };
}

export function isAbsoluteHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * A group's prerequisite checks: CheckFileInfo 200, BaseFileName ending in .wopitest (WopiValidatorPrereq,
 * unless `wopitestName: false`), and the capabilities the group needs.
 */
export async function expectPrerequisites(
  target: WopiTarget,
  capabilities: Record<string, boolean>,
  options: { wopitestName?: boolean } = {},
): Promise<void> {
  const res = await checkFileInfo(target);
  expectStatus(res, 200);
  const info = res.json();
  if (options.wopitestName !== false) {
    const name = info['BaseFileName'];
    assert.ok(typeof name === 'string' && name.toLowerCase().endsWith('.wopitest'), res.describe());
  }
  expectCapabilities(info, capabilities);
}

/** FileExtension is optional; if sent (non-empty) it must be ".wopitest". */
export function expectWopitestExtension(body: Record<string, unknown>, res: WopiResponse): void {
  if (body['FileExtension'] !== undefined && body['FileExtension'] !== '') {
    assert.equal(body['FileExtension'], '.wopitest', res.describe());
  }
}
