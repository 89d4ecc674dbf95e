// When a live list applies its queued events: on the next animation frame or a timer, whichever comes
// first (a throttled background tab gets no frames but still catches up), and never sooner than a
// minimum gap after the last apply, since each apply costs a render and a layout whatever its size.
// Timers are injectable so the logic runs (and is tested) without a browser.

export interface SchedulerEnv {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Absent outside a browser: the timer alone then drives flushes. */
  requestAnimationFrame?: (fn: () => void) => unknown;
  cancelAnimationFrame?: (handle: unknown) => void;
}

export interface FlushSchedulerOptions {
  /** Fallback delay when no animation frame comes (background tab, Node). */
  timerMs: number;
  /** Minimum time between two flushes. */
  minGapMs: number;
  env?: SchedulerEnv;
}

export function browserEnv(): SchedulerEnv {
  const raf = globalThis.requestAnimationFrame;
  const caf = globalThis.cancelAnimationFrame;
  const env: SchedulerEnv = {
    now: () => Date.now(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  if (typeof raf === 'function' && typeof caf === 'function') {
    env.requestAnimationFrame = (fn) => raf(() => fn());
    env.cancelAnimationFrame = (handle) => caf(handle as number);
  }
  return env;
}

export class FlushScheduler {
  private frame: unknown = null;
  private timer: unknown = null;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private readonly env: SchedulerEnv;

  constructor(
    private readonly flush: () => void,
    private readonly opts: FlushSchedulerOptions,
  ) {
    this.env = opts.env ?? browserEnv();
  }

  /** True while a flush is due (frame or timer armed). */
  get armed(): boolean {
    return this.frame !== null || this.timer !== null;
  }

  /** Ask for a flush soon. Calls while one is armed cost nothing. */
  schedule(): void {
    if (this.armed) return;
    const wait = this.lastFlush + this.opts.minGapMs - this.env.now();
    if (wait > 0) {
      // Too soon after the last flush: wait out the gap, then take the next frame.
      this.timer = this.env.setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, wait);
      return;
    }
    if (this.env.requestAnimationFrame) this.frame = this.env.requestAnimationFrame(() => this.run());
    this.timer = this.env.setTimeout(() => this.run(), this.opts.timerMs);
  }

  /** A flush only after a timer: nothing to paint (paused), so frames would only cost. */
  scheduleIdle(): void {
    if (this.armed) return;
    this.timer = this.env.setTimeout(() => this.run(), this.opts.timerMs);
  }

  cancel(): void {
    if (this.frame !== null) this.env.cancelAnimationFrame?.(this.frame);
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.frame = null;
    this.timer = null;
  }

  private run(): void {
    this.cancel();
    this.lastFlush = this.env.now();
    this.flush();
  }
}
