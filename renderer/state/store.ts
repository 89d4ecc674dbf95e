// A minimal observable store read through useSyncExternalStore: no UI framework beyond React.
import { useSyncExternalStore } from 'react';

export class Store<S> {
  private listeners = new Set<() => void>();

  constructor(protected state: S) {}

  readonly get = (): S => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  protected set(next: S): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  protected update(patch: Partial<S>): void {
    this.set({ ...this.state, ...patch });
  }
}

/** Subscribe to a slice. The selector must return an existing reference (or a primitive) to avoid re-render loops. */
export function useStore<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.get()));
}
