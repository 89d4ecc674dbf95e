// The live event stream: fetch + ReadableStream SSE with resume (Last-Event-ID = last seq) and backoff.
// EventSource cannot send an Authorization header, so the stream is fetched by the shared control
// client and its frames are cut by eventsource-parser. Connection health is surfaced as state so the
// status bar can tell the person the truth.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type {
  AnyEventEnvelope,
  ControlClient,
  STREAM_RESET_EVENT,
  StreamResetData,
} from '../../server/contracts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Why we are not connected, in words. */
  detail?: string;
  /** Epoch ms of the next automatic attempt, when one is scheduled. */
  retryAt?: number;
  lastSeq?: number;
}

export interface EventStreamHandlers {
  onEvent(envelope: AnyEventEnvelope): void;
  onConnection(info: ConnectionInfo): void;
  /** The server no longer holds our resume point: reload state, return the seq to resume from. */
  onReset(cause: ResetCause): Promise<number | undefined>;
}

/** Why the stream could not resume: we fell too far behind, or the engine started over. */
export type ResetCause = 'overrun' | 'restart';

// Typed as the contract's literal (the renderer takes only types from the server), so a rename won't compile.
const RESET_EVENT: typeof STREAM_RESET_EVENT = 'stream:reset';

const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];
/**
 * Once the server has shown it sends heartbeats, this much silence means a half-open connection
 * (sleep, network change) that no error will ever report.
 */
const SILENCE_MS = 45_000;
/** After this many failed attempts in a row, stop calling it a blip. */
const DISCONNECTED_AFTER = 4;
/** Longest stretch spent reading the stream before the main thread is given back. */
const READ_SLICE_MS = 8;

/**
 * Give the main thread back for one task. A MessageChannel message, not a timer: timers are clamped
 * and throttled (to 1/s in a background tab), which would let the server's buffer overflow.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

class ResetSignal extends Error {
  constructor(readonly why: ResetCause) {
    super(`stream reset (${why})`);
  }
}
class FatalSignal extends Error {}

export class EventStream {
  private lastSeq: number | undefined;
  private stopped = true;
  private controller: AbortController | null = null;
  private wake: (() => void) | null = null;
  private failures = 0;

  constructor(
    private readonly client: Pick<ControlClient, 'openEventStream'>,
    private readonly handlers: EventStreamHandlers,
  ) {}

  start(since: number | undefined): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.lastSeq = since;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
  }

  /** Skip the backoff wait (status bar "Retry now", browser back online). */
  retryNow(): void {
    this.failures = 0;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let fatal = false;
    while (!this.stopped) {
      this.emit(this.failures === 0 && !fatal ? 'connecting' : 'reconnecting');
      try {
        await this.connectOnce();
        // Clean end of stream (server restarted or closed us): reconnect promptly.
        this.failures = Math.max(this.failures, 1);
        fatal = false;
      } catch (err) {
        if (this.stopped) break;
        if (err instanceof ResetSignal) {
          this.lastSeq = await this.handlers.onReset(err.why).catch(() => this.lastSeq);
          this.failures = 0;
          continue;
        }
        fatal = err instanceof FatalSignal;
        this.failures++;
        const detail = err instanceof Error ? err.message : String(err);
        if (fatal) {
          // A rejected token won't fix itself; wait for an explicit retry.
          this.emit('disconnected', detail);
          await this.sleep(undefined);
          continue;
        }
        const delay = this.delay();
        const state = this.failures >= DISCONNECTED_AFTER ? 'disconnected' : 'reconnecting';
        this.emit(state, detail, Date.now() + delay);
        await this.sleep(delay);
        continue;
      }
      if (this.stopped) break;
      const delay = this.delay();
      this.emit('reconnecting', 'The event stream ended', Date.now() + delay);
      await this.sleep(delay);
    }
  }

  private delay(): number {
    const base = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length) - 1] ?? BACKOFF_MS[0] ?? 1_000;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.wake = done;
    });
  }

  private async connectOnce(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    // Rejects with the client's 'network' error (its message says where) when nothing answers.
    const res = await this.client.openEventStream({ lastEventId: this.lastSeq, signal: controller.signal });
    if (res.status === 409) throw new ResetSignal('overrun');
    if (res.status === 401 || res.status === 403) {
      throw new FatalSignal('The control token was refused; reopen the UI from the link the app printed');
    }
    if (!res.ok || !res.body) throw new Error(`The event stream answered ${res.status}`);

    this.failures = 0;
    this.emit('connected');
    // Heartbeat comments (": ping") seen: tells whether silence means a dead connection.
    let comments = 0;
    // Frames of one chunk are handled after feed() returns, so a reset thrown for one of them
    // leaves the parser's callback, not the parser, and ends this connection.
    const frames: EventSourceMessage[] = [];
    const parser = createParser({
      onEvent: (message) => frames.push(message),
      onComment: () => comments++,
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let silent = false;
    let sliceStart = performance.now();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        clearTimeout(watchdog);
        parser.feed(value);
        for (const message of frames.splice(0)) {
          this.dispatch(message.event ?? 'message', message.data, message.id);
        }
        // With data already buffered, read() resolves as a microtask: without this the loop would parse a
        // whole burst (megabytes) in one task, freezing input and paint until it is done.
        if (performance.now() - sliceStart > READ_SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
        if (comments >= 2) {
          watchdog = setTimeout(() => {
            silent = true;
            controller.abort();
          }, SILENCE_MS);
        }
      }
    } catch (err) {
      if (err instanceof ResetSignal) throw err;
      if (silent) throw new Error('The event stream went silent', { cause: err });
      throw new Error('The event stream was interrupted', { cause: err });
    } finally {
      clearTimeout(watchdog);
      controller.abort();
      reader.releaseLock();
    }
  }

  private dispatch(event: string, data: string, id: string | undefined): void {
    if (event === RESET_EVENT) throw new ResetSignal(this.resetCause(data));
    let envelope: AnyEventEnvelope;
    try {
      envelope = JSON.parse(data) as AnyEventEnvelope;
    } catch {
      return;
    }
    const seq = typeof envelope.seq === 'number' ? envelope.seq : Number(id);
    if (Number.isFinite(seq)) {
      if (this.lastSeq !== undefined) {
        // An off-by-one replay of the last event we applied: skip it.
        if (seq === this.lastSeq) return;
        // Sequence went backwards: the engine restarted, so everything we hold is stale.
        if (seq < this.lastSeq) throw new ResetSignal('restart');
      }
      this.lastSeq = seq;
    }
    this.handlers.onEvent(envelope);
  }

  /** A reset to a seq below ours means the engine's counter started over. */
  private resetCause(data: string): ResetCause {
    try {
      const reset = JSON.parse(data) as Partial<StreamResetData>;
      if (typeof reset.lastSeq === 'number' && this.lastSeq !== undefined && reset.lastSeq < this.lastSeq)
        return 'restart';
    } catch {
      // Unreadable data: still a reset.
    }
    return 'overrun';
  }

  private emit(state: ConnectionState, detail?: string, retryAt?: number): void {
    const info: ConnectionInfo = { state };
    if (detail !== undefined) info.detail = detail;
    if (retryAt !== undefined) info.retryAt = retryAt;
    if (this.lastSeq !== undefined) info.lastSeq = this.lastSeq;
    this.handlers.onConnection(info);
  }
}
