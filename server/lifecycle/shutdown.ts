// One shutdown registry: stop handlers run in reverse registration order, each bounded by the deadline.
export function createShutdown(onError: (e: unknown) => void) {
  const steps: Array<{ name: string; fn: () => Promise<void> | void }> = [];
  let running: Promise<void> | null = null;
  return {
    add(name: string, fn: () => Promise<void> | void): void {
      steps.push({ name, fn });
    },
    run(deadlineMs = 10_000): Promise<void> {
      running ??= (async () => {
        for (const s of steps.reverse()) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              onError(new Error(`shutdown step "${s.name}" took longer than ${deadlineMs} ms; continuing`));
              resolve();
            }, deadlineMs);
          });
          try {
            await Promise.race([Promise.resolve().then(s.fn), timeout]);
          } catch (e) {
            onError(e);
          } finally {
            clearTimeout(timer);
          }
        }
      })();
      return running;
    },
  };
}
