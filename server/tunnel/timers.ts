// Timers come in from outside so tests can shorten or record backoff delays without patching globals.
export type TimerHandle = unknown;

export interface Timers {
  setTimer: (fn: () => void, ms: number) => TimerHandle;
  clearTimer: (handle: TimerHandle) => void;
}

export const systemTimers: Timers = {
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Fills in whichever half of the pair the caller did not inject. */
export function pickTimers(partial: Partial<Timers> = {}): Timers {
  return {
    setTimer: partial.setTimer ?? systemTimers.setTimer,
    clearTimer: partial.clearTimer ?? systemTimers.clearTimer,
  };
}
