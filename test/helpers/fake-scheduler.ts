// A hand-driven clock, timers and animation frames for the renderer's stores (renderer/state/
// flush-scheduler.ts takes them injected), so batching is tested step by step without a browser.
import type { SchedulerEnv } from '../../renderer/state/flush-scheduler';

interface Pending {
  at: number;
  fn: () => void;
}

export class FakeScheduler implements SchedulerEnv {
  private t = 1_000_000;
  private nextId = 1;
  private readonly timers = new Map<number, Pending>();
  private readonly frames = new Map<number, () => void>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  requestAnimationFrame(fn: () => void): unknown {
    const id = this.nextId++;
    this.frames.set(id, fn);
    return id;
  }

  cancelAnimationFrame(handle: unknown): void {
    this.frames.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  get pendingFrames(): number {
    return this.frames.size;
  }

  /** Paint one frame: run the callbacks requested before it. */
  frame(): void {
    const due = [...this.frames.values()];
    this.frames.clear();
    for (const fn of due) fn();
  }

  /** Move the clock forward, firing timers in due order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let next: [number, Pending] | undefined;
      for (const entry of this.timers) if (!next || entry[1].at < next[1].at) next = entry;
      if (!next || next[1].at > end) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
    }
    this.t = end;
  }

  /** Frames and timers until nothing is pending (a background tab without frames: pass frames=false). */
  drain({ frames = true, limit = 1_000 } = {}): void {
    for (let i = 0; i < limit; i++) {
      if (frames && this.frames.size > 0) this.frame();
      else if (this.timers.size > 0)
        this.advance(Math.min(...[...this.timers.values()].map((p) => p.at)) - this.t);
      else return;
    }
    throw new Error('the scheduler never went idle');
  }

  /** A browser-less env: no animation frames at all. */
  withoutFrames(): SchedulerEnv {
    return {
      now: () => this.now(),
      setTimeout: (fn, ms) => this.setTimeout(fn, ms),
      clearTimeout: (handle) => this.clearTimeout(handle),
    };
  }
}
