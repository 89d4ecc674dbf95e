// `serve --faults FILE.json`: a real serve process loads the rules file at start (replacing the data
// dir's rules), says how many are active in its ready line, and applies them; without the flag the
// rules of the last run are still there; a bad file stops it with exit 2 naming the file, the rule
// index and the field, before anything starts.
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FaultRuleView, FaultRulesFile } from '../../server/contracts/lab';
import { runCli, spawnServe } from '../helpers/cli-process';
import type { ServeProcess } from '../helpers/cli-process';
import { makeRoot } from '../helpers/engine-fixture';
import { checkFileInfo, expectStatus, putFile } from '../helpers/wopi-client';

const file = (rules: unknown[]): FaultRulesFile =>
  ({ format: 'wopi-workbench-faults', version: 1, rules }) as FaultRulesFile;

async function control<T>(serve: ServeProcess, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${serve.ready.controlUrl}${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${serve.ready.controlToken}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  assert.ok(res.ok, `${method} ${route} → ${res.status}`);
  return (await res.json()) as T;
}

async function stop(serve: ServeProcess): Promise<void> {
  serve.kill('SIGTERM');
  await serve.exitWithin();
}

void describe('serve --faults', () => {
  void it('loads the file, reports the active rules, applies them, and the rules outlive the run', async () => {
    const root = await makeRoot('wb-cli-faults-', { 'a.docx': 'a' });
    const folder = path.join(root, 'folder');
    const dataDir = path.join(root, 'data');
    const first = path.join(root, 'first.json');
    await writeFile(
      first,
      JSON.stringify(
        file([
          {
            match: { operations: ['CheckFileInfo'] },
            fire: { mode: 'next', count: 1 },
            effect: { kind: 'status', status: 503 },
          },
          { preset: 'file-too-large' },
        ]),
      ),
    );
    let serve = await spawnServe(folder, dataDir, ['--faults', first]);
    try {
      assert.equal((serve.ready as unknown as { faultRules?: number }).faultRules, 2);
      const grant = await control<{ wopiSrc: string; accessToken: string }>(serve, 'POST', '/v1/tokens', {
        fileId: (await control<Array<{ id: string }>>(serve, 'GET', '/v1/files'))[0]!.id,
      });
      expectStatus(await checkFileInfo(grant), 503);
      expectStatus(await checkFileInfo(grant), 200);
      expectStatus(await putFile(grant, 'x'), 413);
    } finally {
      await stop(serve);
    }

    // Without the flag: the data dir's rules, with their counts.
    serve = await spawnServe(folder, dataDir);
    try {
      const rules = await control<FaultRuleView[]>(serve, 'GET', '/v1/faults');
      assert.deepEqual(
        rules.map((r) => [r.hits, r.remaining]),
        [
          [1, 0],
          [1, undefined],
        ],
      );
      assert.equal(
        (serve.ready as unknown as { faultRules?: number }).faultRules,
        1,
        'the spent rule is not active',
      );
    } finally {
      await stop(serve);
    }

    // Another file replaces them.
    const second = path.join(root, 'second.json');
    await writeFile(second, JSON.stringify(file([{ preset: 'read-only-user' }])));
    serve = await spawnServe(folder, dataDir, ['--faults', second]);
    try {
      const rules = await control<FaultRuleView[]>(serve, 'GET', '/v1/faults');
      assert.deepEqual(
        rules.map((r) => r.preset),
        ['read-only-user'],
      );
    } finally {
      await stop(serve);
      await rm(root, { recursive: true, force: true, maxRetries: 5 });
    }
  });

  void it('a bad rules file exits 2 naming the file, the rule and the field', async () => {
    const root = await makeRoot('wb-cli-faults-bad-', { 'a.docx': 'a' });
    const args = ['serve', '--folder', path.join(root, 'folder'), '--data-dir', path.join(root, 'data')];
    const bad = path.join(root, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify(
        file([
          { preset: 'token-expired' },
          { fire: { mode: 'next', count: 0 }, effect: { kind: 'drop-connection' } },
        ]),
      ),
    );
    const r = await runCli([...args, '--faults', bad]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(bad), r.stderr);
    assert.match(r.stderr, /rules\[1\]\.fire\.count/);

    const notJson = path.join(root, 'not.json');
    await writeFile(notJson, '{ nope');
    const r2 = await runCli([...args, '--faults', notJson]);
    assert.equal(r2.code, 2, r2.stderr);
    assert.match(r2.stderr, /--faults .*not\.json: cannot read it as JSON/);
    await rm(root, { recursive: true, force: true, maxRetries: 5 });
  });
});
