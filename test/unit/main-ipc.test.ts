import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { IPC_PREFIX, IpcChannel, STARTUP_ARG, readStartupArg } from '../../main/ipc/contract';
import { IpcRejected, checkSender, guardedHandler } from '../../main/ipc/sender-guard';
import type { InvokeEventLike, SenderFrameLike } from '../../main/ipc/sender-guard';
import { MAX_COPY_LENGTH, argValidators, resolveInsideFolder } from '../../main/ipc/validate-args';

const APP = 'http://127.0.0.1:40000';

// Plain objects with the fields Electron's WebFrameMain has; no Electron involved.
function frame(over: Partial<{ url: string; parent: unknown; destroyed: boolean; detached: boolean }> = {}) {
  const f: SenderFrameLike = {
    url: over.url ?? `${APP}/index.html`,
    parent: over.parent ?? null,
    detached: over.detached ?? false,
    isDestroyed: () => over.destroyed ?? false,
  };
  return { senderFrame: f } satisfies InvokeEventLike;
}

void test('every channel is prefixed and has a validator', () => {
  for (const channel of Object.values(IpcChannel)) {
    assert.ok(channel.startsWith(IPC_PREFIX), channel);
    assert.equal(typeof argValidators[channel], 'function', channel);
  }
  assert.equal(
    new Set(Object.values(IpcChannel)).size,
    Object.values(IpcChannel).length,
    'no duplicate names',
  );
});

void test('sender check: only a live main frame on the app origin passes', () => {
  assert.deepEqual(checkSender(frame(), APP), { ok: true });
  assert.equal(checkSender({ senderFrame: null }, APP).ok, false);
  assert.equal(checkSender(frame({ destroyed: true }), APP).ok, false);
  assert.equal(checkSender(frame({ detached: true }), APP).ok, false);
  assert.equal(checkSender(frame({ parent: {} }), APP).ok, false, 'subframe');
  assert.equal(checkSender(frame({ url: 'http://127.0.0.1:40001/' }), APP).ok, false, 'other port');
  assert.equal(checkSender(frame({ url: 'https://evil.example/' }), APP).ok, false);
  assert.equal(checkSender(frame({ url: 'about:blank' }), APP).ok, false);
  assert.equal(checkSender(frame(), null).ok, false, 'no trusted origin yet');
});

void test('guarded handler runs the implementation with validated arguments', async () => {
  const calls: unknown[] = [];
  const handler = guardedHandler(
    IpcChannel.copyText,
    (args) => {
      calls.push(args);
    },
    { trustedOrigin: () => APP },
  );
  await handler(frame(), 'hello');
  assert.deepEqual(calls, [['hello']]);
});

void test('guarded handler refuses bad senders and bad arguments before the implementation runs', async () => {
  const rejected: string[] = [];
  let ran = 0;
  const handler = guardedHandler(
    IpcChannel.openExternal,
    () => {
      ran++;
    },
    { trustedOrigin: () => APP, onRejected: (c, r) => rejected.push(`${c}: ${r}`) },
  );
  await assert.rejects(handler(frame({ url: 'https://evil.example/' }), 'https://example.com'), IpcRejected);
  await assert.rejects(handler(frame(), 'file:///etc/passwd'), /wb:open-external refused/);
  await assert.rejects(handler(frame(), 'https://example.com', 'extra'), /expected 1 argument/);
  assert.equal(ran, 0);
  assert.equal(rejected.length, 3);
  await handler(frame(), 'https://example.com');
  assert.equal(ran, 1);
});

void test('the trusted origin is read per call, so an engine restart on a new port moves trust', async () => {
  let origin = APP;
  const handler = guardedHandler(IpcChannel.pickFolder, () => null, { trustedOrigin: () => origin });
  assert.equal(await handler(frame()), null);
  origin = 'http://127.0.0.1:40001';
  await assert.rejects(handler(frame()), IpcRejected);
});

void test('channels without the prefix cannot be wrapped', () => {
  assert.throws(() =>
    guardedHandler('copy-text' as typeof IpcChannel.copyText, () => undefined, { trustedOrigin: () => APP }),
  );
});

void test('argument validators', () => {
  assert.equal(argValidators['wb:pick-folder']([]).ok, true);
  assert.equal(argValidators['wb:pick-folder'](['x']).ok, false);
  assert.equal(argValidators['wb:reveal-file'](['docs/a.docx']).ok, true);
  assert.equal(argValidators['wb:reveal-file'](['']).ok, false);
  assert.equal(argValidators['wb:reveal-file'](['a\0b']).ok, false);
  assert.equal(argValidators['wb:reveal-file']([{ path: 'x' }]).ok, false);
  assert.equal(argValidators['wb:copy-text']([''.padEnd(MAX_COPY_LENGTH, 'x')]).ok, true);
  assert.equal(argValidators['wb:copy-text']([''.padEnd(MAX_COPY_LENGTH + 1, 'x')]).ok, false);
  assert.equal(argValidators['wb:copy-text']([5]).ok, false);
  const url = argValidators['wb:open-external'](['HTTPS://Example.com/a b']);
  assert.deepEqual(url, { ok: true, value: ['https://example.com/a%20b'] });
});

void test('reveal paths resolve inside the served folder only', () => {
  const root = path.resolve('/srv/docs');
  assert.equal(resolveInsideFolder(root, 'sub/a.docx'), path.join(root, 'sub', 'a.docx'));
  assert.equal(resolveInsideFolder(root, path.join(root, 'a.docx')), path.join(root, 'a.docx'));
  assert.equal(resolveInsideFolder(root, '..foo.docx'), path.join(root, '..foo.docx'));
  assert.equal(resolveInsideFolder(root, '.'), root);
  assert.equal(resolveInsideFolder(root, '../secret.txt'), null);
  assert.equal(resolveInsideFolder(root, 'sub/../../secret.txt'), null);
  assert.equal(resolveInsideFolder(root, path.resolve('/etc/passwd')), null);
  assert.equal(
    resolveInsideFolder(root, path.resolve('/srv/docs-other/a')),
    null,
    'prefix is not containment',
  );
});

void test('startup values are read from the preload argv by prefix', () => {
  const argv = ['/opt/electron', '--type=renderer', `${STARTUP_ARG.appVersion}1.4.0-beta.2`, '--lang=en'];
  assert.equal(readStartupArg(argv, STARTUP_ARG.appVersion), '1.4.0-beta.2');
  assert.equal(readStartupArg(['--type=renderer'], STARTUP_ARG.appVersion), '');
});
