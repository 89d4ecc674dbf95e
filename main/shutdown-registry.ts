// Ordered shutdown with a deadline. Steps run phase by phase (the window lets go of the UI, then the
// engine finishes writes, closes the tunnel and SQLite, then OS chrome goes); steps within a phase
// run together. A failing step does not stop later phases; a hanging one is cut off by the deadline
// so quitting always ends.

export const SHUTDOWN_PHASES = ['window', 'engine', 'final'] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export type StepOutcome = 'done' | 'failed' | 'timed-out' | 'skipped';

export interface StepReport {
  name: string;
  phase: ShutdownPhase;
  outcome: StepOutcome;
  error?: string;
}

export interface ShutdownReport {
  ok: boolean;
  steps: StepReport[];
}

/** Arms a timer and returns its cancel function; injected so tests fire it by hand. */
export type ArmTimer = (ms: number, fire: () => void) => () => void;

const defaultTimer: ArmTimer = (ms, fire) => {
  const t = setTimeout(fire, ms);
  return () => clearTimeout(t);
};

export interface ShutdownRegistry {
  /** Returns an unregister function (e.g. when an engine is replaced by another). */
  register(name: string, phase: ShutdownPhase, step: () => Promise<void> | void): () => void;
  /** Runs once; later calls return the same promise. */
  run(): Promise<ShutdownReport>;
  readonly started: boolean;
}

interface Entry {
  name: string;
  phase: ShutdownPhase;
  step: () => Promise<void> | void;
}

export function createShutdownRegistry(opts: { deadlineMs: number; armTimer?: ArmTimer }): ShutdownRegistry {
  const entries = new Set<Entry>();
  const arm = opts.armTimer ?? defaultTimer;
  let running: Promise<ShutdownReport> | null = null;

  async function runAll(): Promise<ShutdownReport> {
    const reports = new Map<Entry, StepReport>();
    const all = [...entries];
    for (const e of all) reports.set(e, { name: e.name, phase: e.phase, outcome: 'skipped' });
    let expired = false;
    let onExpire: () => void = () => undefined;
    const deadline = new Promise<'expired'>((resolve) => {
      onExpire = () => resolve('expired');
    });
    const cancel = arm(opts.deadlineMs, () => {
      expired = true;
      onExpire();
    });
    try {
      for (const phase of SHUTDOWN_PHASES) {
        if (expired) break;
        const inPhase = all.filter((e) => e.phase === phase);
        const settled = Promise.all(
          inPhase.map(async (e) => {
            const report = reports.get(e);
            if (!report) return;
            report.outcome = 'timed-out';
            try {
              await e.step();
              if (!expired) report.outcome = 'done';
            } catch (err) {
              if (!expired) {
                report.outcome = 'failed';
                report.error = err instanceof Error ? err.message : String(err);
              }
            }
          }),
        );
        await Promise.race([settled, deadline]);
      }
    } finally {
      cancel();
    }
    const steps = all.map((e) => reports.get(e)).filter((r): r is StepReport => r !== undefined);
    return { ok: steps.every((s) => s.outcome === 'done'), steps };
  }

  return {
    register(name, phase, step) {
      const entry: Entry = { name, phase, step };
      entries.add(entry);
      return () => {
        entries.delete(entry);
      };
    },
    run() {
      running ??= runAll();
      return running;
    },
    get started() {
      return running !== null;
    },
  };
}
