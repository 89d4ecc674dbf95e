// The request body guard: a body whose request is gone before it was read fails as 'aborted' (never
// waits for the idle limit), also for a reader that starts later, and never as an uncaught error.
import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { StorageError } from '../../server/storage/errors';
import { guardedBody, readSmallBody } from '../../server/wopi/request-body';

const IDLE_MS = 60_000;

/** A request whose body arrived in full (as the parser marks it) and which was destroyed unread. */
async function completeButDestroyed(): Promise<IncomingMessage> {
  const req = new IncomingMessage(new Socket());
  req.push(Buffer.from('every byte'));
  req.push(null);
  req.complete = true;
  req.destroy();
  await new Promise((r) => req.once('close', r));
  return req;
}

const aborted = (e: unknown): boolean => e instanceof StorageError && e.code === 'aborted';

void test('a request destroyed with its body unread: the body fails as aborted, not after the idle limit', async () => {
  const body = guardedBody(await completeButDestroyed(), IDLE_MS);
  await assert.rejects(readSmallBody(body, 1024), aborted);
});

void test('a reader that starts a turn later gets the failure too, and nothing is thrown meanwhile', async () => {
  const body = guardedBody(await completeButDestroyed(), IDLE_MS);
  await new Promise((r) => setImmediate(r)); // an await between asking for the body and reading it
  await assert.rejects(readSmallBody(body, 1024), aborted);
});
