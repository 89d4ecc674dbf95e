// One fuzz session: a `serve` over fresh content files, the tokens for them, an empty ledger, and the
// options both `npm test` (bounded) and `npm run fuzz` (full size) start from.
import { createLedger } from './ledger';
import type { Ledger } from './ledger';
import { createRng } from './rng';
import { watchEvents } from './secrets';
import type { FuzzOptions } from './run-fuzz';
import { startServeTarget } from './target';
import type { ServeTarget } from './target';
import { buildWorld, contentFiles } from './world';
import type { World } from './world';

export const MAX_UPLOAD_MB = 2;

export interface FuzzSession {
  target: ServeTarget;
  world: World;
  ledger: Ledger;
  /** The SSE stream, read from before the first request (for the secrets scan). */
  events: { text(): string; stop(): void };
  dispose(): Promise<void>;
}

/** Options for a run of `requests` cases; callers override what they need. */
export function fuzzOptions(requests: number, extra: Partial<FuzzOptions> = {}): FuzzOptions {
  return {
    requests,
    clients: 6,
    answerWithinMs: 10_000,
    maxUploadBytes: MAX_UPLOAD_MB * 1024 * 1024,
    largeBodyBytes: 1536 * 1024,
    longStalls: 1,
    longStallMs: 12_000,
    ...extra,
  };
}

export async function startFuzzSession(options: {
  seed: number;
  json?: boolean;
  contentFiles?: number;
  args?: string[];
}): Promise<FuzzSession> {
  const rng = createRng(options.seed);
  const files = contentFiles(rng.fork('files'), options.contentFiles ?? 4);
  const target = await startServeTarget({
    files,
    json: options.json ?? true,
    prefix: 'wb-chaos-fuzz-',
    // Every replaced byte stays a version for the whole run, so "never a byte lost" is checkable.
    args: [
      '--version-retention',
      '1000000',
      '--max-upload-mb',
      String(MAX_UPLOAD_MB),
      ...(options.args ?? []),
    ],
  });
  const events = watchEvents(target);
  const dispose = async (): Promise<void> => {
    events.stop();
    await target.dispose();
  };
  try {
    const world = await buildWorld(target, rng, files);
    const ledger = createLedger();
    for (const ref of world.content) {
      const start = world.initial.get(ref.id)!;
      ledger.setInitial(ref.id, start.sha, start.version);
    }
    return { target, world, ledger, events, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
