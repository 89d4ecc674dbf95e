// A file's Version as the traffic shows it (CheckFileInfo's Version, X-WOPI-ItemVersion on a 2xx),
// kept with when each exchange ended, so a PutFile is compared with what was shown *before it
// started*: a CheckFileInfo running alongside it may already show the new version.

/** A few recent sightings per file: enough for the exchanges that overlap one PutFile. */
const KEEP = 8;

interface Sighting {
  version: string;
  endAt: number;
  precise: boolean;
}

/**
 * Record starts are whole epoch milliseconds unless the producer kept more (the proxy does): with
 * whole ones, one exchange is "before" another only with a millisecond of room, so rounding never
 * makes two overlapping exchanges look sequential.
 */
export const orderMargin = (aPrecise: boolean, bPrecise: boolean): number => (aPrecise && bPrecise ? 0 : 1);

export const isPrecise = (startedAt: number): boolean => !Number.isInteger(startedAt);

export interface VersionFacts {
  sightings: Sighting[];
  /** A 2xx PutFile without X-WOPI-ItemVersion: the next CheckFileInfo after it must show a new Version. */
  unconfirmedPut?: { before: string; endAt: number; precise: boolean };
}

/** The version shown by the latest exchange that ended before `startAt` (with the ordering margin). */
export function versionBefore(
  f: VersionFacts | undefined,
  startAt: number,
  precise: boolean,
): string | undefined {
  let best: Sighting | undefined;
  for (const s of f?.sightings ?? []) {
    if (s.endAt + orderMargin(s.precise, precise) > startAt) continue;
    if (!best || s.endAt >= best.endAt) best = s;
  }
  return best?.version;
}

export function sawVersion(f: VersionFacts, version: string, endAt: number, precise: boolean): void {
  f.sightings.push({ version, endAt, precise });
  if (f.sightings.length > KEEP) f.sightings.shift();
}

/** The unconfirmed PutFile a CheckFileInfo starting at `startAt` comes after, if it surely does. */
export function putBefore(f: VersionFacts | undefined, startAt: number, precise: boolean) {
  const p = f?.unconfirmedPut;
  if (!p || p.endAt + orderMargin(p.precise, precise) > startAt) return undefined;
  return p;
}
