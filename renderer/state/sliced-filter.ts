// Filtering a long list a slice at a time. A first text search over 50k requests builds a lowercase
// haystack per row (~5 µs each): done in one go that is a 250 ms freeze, so it runs in slices of a few
// milliseconds with the main thread given back in between, and the caller commits the result once.
import type { SchedulerEnv } from './flush-scheduler';

export interface SliceOptions {
  /** Time spent per slice before yielding. */
  budgetMs: number;
  /** Rows per slice at most, whatever the clock says (keeps slices bounded under a coarse clock). */
  maxRows: number;
}

export const DEFAULT_SLICES: SliceOptions = { budgetMs: 8, maxRows: 20_000 };
/** Rows checked between two looks at the clock. */
const STRIDE = 256;

export class SlicedFilter<T> {
  private cancelled = false;
  private timer: unknown = null;

  /**
   * `done` gets the matches in order. Rows appended to `rows` before the end are included; the caller
   * must not remove any meanwhile (cancel first).
   */
  constructor(
    private readonly env: SchedulerEnv,
    private readonly rows: readonly T[],
    private readonly matches: (row: T) => boolean,
    private readonly done: (visible: T[]) => void,
    private readonly opts: SliceOptions = DEFAULT_SLICES,
  ) {}

  /** Runs the first slice now; the rest follow on timers. */
  start(): void {
    this.step(0, []);
  }

  cancel(): void {
    this.cancelled = true;
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.timer = null;
  }

  private step(from: number, out: T[]): void {
    this.timer = null;
    if (this.cancelled) return;
    const deadline = this.env.now() + this.opts.budgetMs;
    const stop = from + this.opts.maxRows;
    let i = from;
    while (i < this.rows.length && i < stop) {
      const end = Math.min(this.rows.length, stop, i + STRIDE);
      for (; i < end; i++) {
        const row = this.rows[i]!;
        if (this.matches(row)) out.push(row);
      }
      if (this.env.now() >= deadline) break;
    }
    if (i < this.rows.length) {
      this.timer = this.env.setTimeout(() => this.step(i, out), 0);
      return;
    }
    this.done(out);
  }
}
