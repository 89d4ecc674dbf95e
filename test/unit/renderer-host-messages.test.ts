// renderer/state/host-messages.ts: PostMessage traffic kept like the request log — batched, capped,
// filterable by file, session, direction and text — and merged with the host's history by event seq.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostMessageHistory, HostPageMessage } from '../../server/contracts';
import {
  EMPTY_MESSAGE_FILTER,
  HostMessageStore,
  isMessageFilterActive,
  matchMessage,
  type HostMessage,
  type HostMessageEvent,
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

/** Message i as the bus sends it; its seq is i + 1 unless told. */
function event(i: number, seq = i + 1, patch: Partial<HostPageMessage> = {}): HostMessageEvent {
  const data = message(i, patch);
  return { seq, type: 'hostpage:message', at: data.at, data };
}

/** GET /v1/hostpage/messages with messages from..to-1 (seq = i + 1). */
function history(from: number, to: number, dropped = 0): HostMessageHistory {
  const items = Array.from({ length: to - from }, (_, k) => event(from + k));
  return { items, lastSeq: to, dropped };
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
    for (let i = 0; i < 6; i++) store.enqueue(event(i));
    assert.equal(store.get().rows.length, 0);
    env.frame();
    const rows = store.get().rows;
    assert.deepEqual(seen(rows).slice(0, 2), ['Host_PostmessageReady@0', 'App_LoadingStatus@1']);
    assert.equal(new Set(rows.map((m) => m.key)).size, 6);
  });

  void it('one event seq shows once; after an engine restart the same seq is a new message', () => {
    const { env, store } = setup();
    store.enqueue(event(1));
    store.enqueue(event(1));
    env.drain();
    assert.equal(store.get().rows.length, 1);
    store.newRun();
    store.enqueue(event(1));
    env.drain();
    const [a, b] = store.get().rows;
    assert.equal(store.get().rows.length, 2);
    assert.notEqual(a?.key, b?.key);
    assert.deepEqual([a?.run, b?.run], [1, 2]);
  });

  void it('caps the list, evicting the oldest, and shifts frontOffset by the visible rows evicted', () => {
    const { env, store } = setup(20);
    store.setFilter({ ...EMPTY_MESSAGE_FILTER, fileId: 'doc' });
    for (let i = 0; i < 20; i++) store.enqueue(event(i));
    env.drain();
    for (let i = 20; i < 30; i++) store.enqueue(event(i));
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
    for (let i = 0; i < 50; i++) store.enqueue(event(i));
    env.drain();
    assert.equal(store.get().rows.length, 20);
    assert.equal(store.get().rows[0]?.at, 1_700_000_000_030);
    assert.equal(store.get().evicted, 30);
  });

  void it('applies a large burst in chunks', () => {
    const { env, store } = setup();
    for (let i = 0; i < 2_500; i++) store.enqueue(event(i));
    env.frame();
    assert.equal(store.get().rows.length, 1_000);
    env.drain();
    assert.equal(store.get().rows.length, 2_500);
  });

  void it('filters by file, session, direction and words over id and values', () => {
    const { env, store } = setup();
    for (let i = 0; i < 16; i++) store.enqueue(event(i));
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
    for (let i = 0; i < 8; i++) store.enqueue(event(i));
    env.drain();
    assert.equal(store.get().rows.length, 8);
    assert.equal(store.get().visible.length, 6);
  });

  void it('clear empties the list and drops queued messages', () => {
    const { env, store } = setup();
    store.enqueue(event(0));
    env.drain();
    store.enqueue(event(1));
    store.clear();
    env.drain();
    assert.equal(store.get().rows.length, 0);
    assert.equal(store.get().visible.length, 0);
  });

  void it('a filter is active only when something is chosen', () => {
    assert.equal(isMessageFilterActive(EMPTY_MESSAGE_FILTER), false);
    assert.equal(isMessageFilterActive({ ...EMPTY_MESSAGE_FILTER, text: '  ' }), false);
    assert.equal(isMessageFilterActive({ ...EMPTY_MESSAGE_FILTER, direction: 'to-client' }), true);
    assert.equal(matchMessage(EMPTY_MESSAGE_FILTER)({ ...message(0), key: 1, seq: 1, run: 1 }), true);
  });
});

const seqs = (rows: readonly HostMessage[]): number[] => rows.map((m) => m.seq);

void describe('host message store: history from the host', () => {
  void it('puts older messages in front of the live ones, in seq order, each once', () => {
    const { env, store } = setup();
    for (let i = 9; i < 11; i++) store.enqueue(event(i));
    env.drain();
    store.addHistory(history(2, 11), store.currentRun);
    const s = store.get();
    assert.deepEqual(seqs(s.rows), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(s.history, 'loaded');
    // Seven rows landed in front of the first one shown: a reader scrolled up keeps their place.
    assert.equal(s.frontOffset, 7);
    // The stream then brings the overlap again, and what is new.
    store.enqueue(event(9));
    store.enqueue(event(10));
    store.enqueue(event(11));
    env.drain();
    assert.deepEqual(seqs(store.get().rows), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  void it('live messages still queued are merged in order, not appended after the history', () => {
    const { env, store } = setup();
    store.enqueue(event(7)); // seq 8, not applied yet
    store.addHistory(history(6, 9), store.currentRun); // seqs 7, 8, 9
    assert.deepEqual(seqs(store.get().rows), [7, 8, 9]);
    env.drain();
    store.enqueue(event(9)); // seq 10
    env.drain();
    assert.deepEqual(seqs(store.get().rows), [7, 8, 9, 10]);
  });

  void it('the filter applies to history rows too', () => {
    const { store } = setup();
    store.setFilter({ ...EMPTY_MESSAGE_FILTER, direction: 'to-client' });
    store.addHistory(history(0, 8), store.currentRun);
    assert.equal(store.get().rows.length, 8);
    assert.ok(store.get().visible.every((m) => m.direction === 'to-client'));
    assert.equal(store.get().visible.length, 2);
  });

  void it('a cleared list stays cleared when the history is read again; newer messages still come', () => {
    const { env, store } = setup();
    store.addHistory(history(0, 4), store.currentRun);
    store.enqueue(event(4));
    env.drain();
    store.clear();
    store.addHistory(history(0, 6), store.currentRun);
    assert.deepEqual(seqs(store.get().rows), [6], 'only the message after the clear');
  });

  void it('messages the cap evicted do not come back from the history, nor count twice', () => {
    const { env, store } = setup(5);
    for (let i = 0; i < 8; i++) store.enqueue(event(i));
    env.drain();
    assert.deepEqual(seqs(store.get().rows), [4, 5, 6, 7, 8]);
    assert.equal(store.get().evicted, 3);
    store.addHistory(history(0, 8), store.currentRun);
    assert.deepEqual(seqs(store.get().rows), [4, 5, 6, 7, 8]);
    assert.equal(store.get().evicted, 3);
  });

  void it('history past the cap keeps the newest rows', () => {
    const { store } = setup(5);
    store.addHistory(history(0, 8), store.currentRun);
    assert.deepEqual(seqs(store.get().rows), [4, 5, 6, 7, 8]);
    assert.equal(store.get().evicted, 3);
    store.addHistory(history(0, 8), store.currentRun);
    assert.deepEqual(seqs(store.get().rows), [4, 5, 6, 7, 8], 'the evicted ones stay out');
  });

  void it('after a restart, the new run’s history follows the old rows; a history read before it is dropped', () => {
    const { env, store } = setup();
    for (let i = 0; i < 3; i++) store.enqueue(event(i));
    env.drain();
    const before = store.currentRun;
    store.newRun();
    assert.equal(store.get().history, 'idle');
    store.addHistory(history(10, 20), before);
    assert.equal(store.get().rows.length, 3, 'a history of the old run is stale');
    store.enqueue(event(1)); // seq 2 of the new run
    env.drain();
    store.addHistory(history(0, 3), store.currentRun);
    const rows = store.get().rows;
    assert.deepEqual(
      rows.map((m) => `${m.run}:${m.seq}`),
      ['1:1', '1:2', '1:3', '2:1', '2:2', '2:3'],
    );
  });

  void it('rows of the old run still queued at a restart stay before the new run’s history', () => {
    const { env, store } = setup();
    store.enqueue(event(7)); // seq 8 of the old run, not applied yet
    store.newRun();
    store.addHistory(history(0, 2), store.currentRun);
    env.drain();
    assert.deepEqual(
      store.get().rows.map((m) => `${m.run}:${m.seq}`),
      ['1:8', '2:1', '2:2'],
    );
  });

  void it('says how many messages the host no longer kept', () => {
    const { store } = setup();
    store.addHistory(history(0, 2, 40), store.currentRun);
    assert.equal(store.get().hostDropped, 40);
    store.addHistory(history(0, 2, 41), store.currentRun);
    assert.equal(store.get().hostDropped, 41, 'updated even when nothing new came');
  });
});
