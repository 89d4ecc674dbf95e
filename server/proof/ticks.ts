// .NET ticks (100 ns since 0001-01-01 UTC) <-> epoch milliseconds. X-WOPI-TimeStamp values are
// ~6.4e17, far above 2^53, so they live as bigint end to end; Number() would round them silently.

/** Ticks at 1970-01-01T00:00:00Z. */
export const TICKS_AT_UNIX_EPOCH = 621355968000000000n;
export const TICKS_PER_MS = 10000n;
const INT64_MAX = 9223372036854775807n;

/** Epoch ms -> .NET ticks. Fractions of a millisecond are dropped. */
export function msToTicks(epochMs: number): bigint {
  return BigInt(Math.trunc(epochMs)) * TICKS_PER_MS + TICKS_AT_UNIX_EPOCH;
}

/** .NET ticks -> epoch ms (sub-millisecond part truncated; the result is a safe integer for any real date). */
export function ticksToMs(ticks: bigint): number {
  return Number((ticks - TICKS_AT_UNIX_EPOCH) / TICKS_PER_MS);
}

export type TimestampParseError = 'missing' | 'not-digits' | 'out-of-range';

export type TimestampParse =
  { ok: true; ticks: bigint } | { ok: false; error: TimestampParseError; message: string };

/**
 * Parse an X-WOPI-TimeStamp header strictly: decimal digits only (no sign, spaces, exponent or
 * fraction), within int64, because the value is signed as an int64 and anything else cannot match.
 */
export function parseTimestampHeader(value: string | undefined): TimestampParse {
  if (value === undefined || value === '') {
    return { ok: false, error: 'missing', message: 'X-WOPI-TimeStamp header is missing.' };
  }
  if (!/^[0-9]+$/.test(value)) {
    return {
      ok: false,
      error: 'not-digits',
      message: `X-WOPI-TimeStamp must be a decimal integer of .NET ticks, got ${JSON.stringify(value.slice(0, 40))}.`,
    };
  }
  // Leading zeros are harmless but cap the length so a huge header cannot make BigInt() expensive.
  const trimmed = value.replace(/^0+(?=[0-9])/, '');
  if (trimmed.length > 19 || BigInt(trimmed) > INT64_MAX) {
    return {
      ok: false,
      error: 'out-of-range',
      message: `X-WOPI-TimeStamp ${value.slice(0, 40)} does not fit in a 64-bit integer.`,
    };
  }
  return { ok: true, ticks: BigInt(trimmed) };
}
