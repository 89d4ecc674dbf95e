// renderer/state/host-messages.ts: PostMessage traffic kept like the request log — batched, capped,
// filterable by file, session, direction and text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostPageMessage } from '../../server/contracts';
import {
  EMPTY_MESSAGE_FILTER,
  HostMessageStore,
  isMessageFilterActive,
  matchMessage,
  type HostMessage,
} from '../../renderer/state/host-messages';
import { FakeScheduler } from '../helpers/fake-scheduler';

function message(i: number, patch: Partial<HostPageMessage> = {}): HostPageMessage {
  const ids = ['Host_PostmessageReady', 'App_LoadingStatus', 'UI_Edit', 'File_Rename'];
  const messageId = ids[i % ids.length]!;
  return {
    sessionId: `s${Math.floor(i / 4)}`,
    fileId: i % 8 < 4 ? 'doc' : 'sheet',
    direction: messageId.startsWith('Host_') ? 'to-client' : 'from-client',
    messageId,
    values: messageId === 'File_Rename' ? { NewName: `name-${i}` } : { DocumentLoadedTime: i },
    at: 1_700_000_000_000 + i,
    ...patch,
  };
}

function setup(cap?: number) {
  const env = new FakeScheduler();
  const store = new HostMessageStore(cap, env);
  return { env, store };
}

const seen = (rows: readonly HostMessage[]): string[] =>
  rows.map((m) => `${m.messageId}@${m.at - 1_700_000_000_000}`);

void describe('host message store', () => {
  void it('applies messages on the next flush, in arrival order, each with its own key', () => {
    const { env, store } = setup();
    for (let i = 0; i < 6; i++) store.enqueue(message(i));
    assert.equal(store.get().rows.length, 0);
    env.frame();
    const rows = store.get().rows;
    assert.deepEqual(seen(rows).slice(0, 2), ['Host_PostmessageReady@0', 'App_LoadingStatus@1']);
    assert.equal(new Set(rows.map((m) => m.key)).size, 6);
  });

  void it('keys stay unique when the same message arrives twice (an engine restart reuses seqs)', () => {
    const { env, store } = setup();
    store.enqueue(message(1));
    store.enqueue(message(1));
    env.drain();
    const [a, b] = store.get().rows;
    assert.notEqual(a?.key, b?.key);
  });

  void it('caps the list, evicting the oldest, and shifts frontOffset by the visible rows evicted', () => {
    const { env, store } = setup(20);
    store.setFilter({ ...EMPTY_MESSAGE_FILTER, fileId: 'doc' });
    for (let i = 0; i < 20; i++) store.enqueue(message(i));
    env.drain();
    for (let i = 20; i < 30; i++) store.enqueue(message(i));
    env.drain();
    const s = store.get();
    assert.equal(s.rows.length, 20);
    assert.equal(s.rows[0]?.at, 1_700_000_000_010);
    assert.equal(s.evicted, 10);
    // Evicted 0..9, of which 0-3 and 8-9 were on 'doc'; the visible list starts after them.
    assert.equal(s.frontOffset, -6);
    assert.ok(s.visible.every((m) => m.fileId === 'doc' && m.at >= 1_700_000_000_010));
  });

  void it('a burst larger than the cap counts the messages it never showed as evicted', () => {
    const { env, store } = setup(20);
    for (let i = 0; i < 50; i++) store.enqueue(message(i));
    env.drain();
    assert.equal(store.get().rows.length, 20);
    assert.equal(store.get().rows[0]?.at, 1_700_000_000_030);
    assert.equal(store.get().evicted, 30);
  });

  void it('applies a large burst in chunks', () => {
    const { env, store } = setup();
    for (let i = 0; i < 2_500; i++) store.enqueue(message(i));
    env.frame();
    assert.equal(store.get().rows.length, 1_000);
    env.drain();
    assert.equal(store.get().rows.length, 2_500);
  });

  void it('filters by file, session, direction and words over id and values', () => {
    const { env, store } = setup();
    for (let i = 0; i < 16; i++) store.enqueue(message(i));
    env.drain();
    const only = (patch: Partial<typeof EMPTY_MESSAGE_FILTER>): string[] => {
      store.setFilter({ ...EMPTY_MESSAGE_FILTER, ...patch });
      return seen(store.get().visible);
    };
    assert.equal(only({ fileId: 'sheet' }).length, 8);
    assert.deepEqual(only({ sessionId: 's1' }), [
      'Host_PostmessageReady@4',
      'App_LoadingStatus@5',
      'UI_Edit@6',
      'File_Rename@7',
    ]);
    assert.ok(only({ direction: 'to-client' }).every((s) => s.startsWith('Host_')));
    assert.deepEqual(only({ text: 'NAME-11' }), ['File_Rename@11'], 'values are searched');
    assert.deepEqual(only({ text: 'file_rename sheet' }), [], 'every word must match id or values');
    assert.equal(only({ text: 'ui_edit', fileId: 'doc' }).length, 2);
    store.setFilter(EMPTY_MESSAGE_FILTER);
    assert.equal(store.get().visible.length, 16);
  });

  void it('new messages join the visible list only when they match', () => {
    const { env, store } = setup();
    store.setFilter({ ...EMPTY_MESSAGE_FILTER, direction: 'from-client' });
    for (let i = 0; i < 8; i++) store.enqueue(message(i));
    env.drain();
    assert.equal(store.get().rows.length, 8);
    assert.equal(store.get().visible.length, 6);
  });

  void it('clear empties the list and drops queued messages', () => {
    const { env, store } = setup();
    store.enqueue(message(0));
    env.drain();
    store.enqueue(message(1));
    store.clear();
    env.drain();
    assert.equal(store.get().rows.length, 0);
    assert.equal(store.get().visible.length, 0);
  });

  void it('a filter is active only when something is chosen', () => {
    assert.equal(isMessageFilterActive(EMPTY_MESSAGE_FILTER), false);
    assert.equal(isMessageFilterActive({ ...EMPTY_MESSAGE_FILTER, text: '  ' }), false);
    assert.equal(isMessageFilterActive({ ...EMPTY_MESSAGE_FILTER, direction: 'to-client' }), true);
    assert.equal(matchMessage(EMPTY_MESSAGE_FILTER)({ ...message(0), key: 1 }), true);
  });
});
