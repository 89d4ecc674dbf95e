// A small ZIP reader/writer (PKWARE APPNOTE: local headers, central directory, end record) over
// node:zlib, enough for OOXML packages: stored and deflated entries, UTF-8 names, no ZIP64, no
// encryption. The simulator edits .docx/.xlsx/.pptx with it; make-samples builds the samples.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Forward slashes, no leading slash (e.g. "word/document.xml"). */
  name: string;
  data: Buffer;
}

export type ZipErrorCode = 'not-zip' | 'truncated' | 'unsupported' | 'corrupt' | 'too-large' | 'bad-entry';

export class ZipError extends Error {
  override readonly name = 'ZipError';
  constructor(
    readonly code: ZipErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const LOCAL_BYTES = 30;
const CENTRAL_BYTES = 46;
const END_BYTES = 22;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const VERSION = 20;
/** Office documents are far smaller; a bigger entry is a zip bomb or not something to edit here. */
const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024 * 1024;

const CRC_TABLE: readonly number[] = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (IEEE 802.3, as ZIP uses it). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function findEnd(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - END_BYTES - 0xffff);
  for (let at = zip.length - END_BYTES; at >= lowest; at--) {
    if (zip.readUInt32LE(at) === END_SIG) return at;
  }
  return -1;
}

export function readZip(zip: Buffer, opts: { maxEntryBytes?: number } = {}): ZipEntry[] {
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  if (zip.length < END_BYTES)
    throw new ZipError('not-zip', `${zip.length} bytes is too short to be a ZIP file`);
  const end = findEnd(zip);
  if (end < 0) throw new ZipError('not-zip', 'no end-of-central-directory record: this is not a ZIP file');
  const count = zip.readUInt16LE(end + 10);
  const cdSize = zip.readUInt32LE(end + 12);
  const cdOffset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    throw new ZipError('unsupported', 'ZIP64 archives are not supported');
  }
  if (cdOffset + cdSize > end)
    throw new ZipError('truncated', 'the central directory runs past the end record');

  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_BYTES > end || zip.readUInt32LE(at) !== CENTRAL_SIG) {
      throw new ZipError('corrupt', `central directory entry ${i} is damaged`);
    }
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameLength).toString('utf8');
    at += CENTRAL_BYTES + nameLength + extraLength + commentLength;

    if (flags & FLAG_ENCRYPTED) throw new ZipError('unsupported', `${name} is encrypted`);
    if (size > maxEntryBytes) throw new ZipError('too-large', `${name} would unpack to ${size} bytes`);
    if (localOffset + LOCAL_BYTES > zip.length || zip.readUInt32LE(localOffset) !== LOCAL_SIG) {
      throw new ZipError('corrupt', `the local header of ${name} is missing`);
    }
    // The local header has its own name/extra lengths; sizes come from the central directory
    // because a data descriptor may have left them zero here.
    const dataStart =
      localOffset + LOCAL_BYTES + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > zip.length) throw new ZipError('truncated', `${name} is cut short`);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = unpack(name, method, raw, size, maxEntryBytes);
    if (data.length !== size)
      throw new ZipError('corrupt', `${name} unpacked to ${data.length} bytes, expected ${size}`);
    if (crc32(data) !== crc) throw new ZipError('corrupt', `${name} fails its CRC-32 check`);
    entries.push({ name, data });
  }
  return entries;
}

function unpack(name: string, method: number, raw: Buffer, size: number, max: number): Buffer {
  if (method === METHOD_STORED) return Buffer.from(raw);
  if (method !== METHOD_DEFLATE)
    throw new ZipError('unsupported', `${name} uses compression method ${method}`);
  try {
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(max, size + 1)) });
  } catch (err) {
    throw new ZipError('corrupt', `${name} does not inflate (${(err as Error).message})`);
  }
}

/** MS-DOS date and time, as ZIP headers store them (2-second resolution, local fields from UTC). */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

export interface WriteZipOptions {
  /** Timestamp written on every entry; fixed by default so the same input gives the same bytes. */
  modified?: Date;
}

export function writeZip(entries: readonly ZipEntry[], opts: WriteZipOptions = {}): Buffer {
  if (entries.length >= 0xffff) throw new ZipError('unsupported', 'too many entries for a non-ZIP64 archive');
  const stamp = dosDateTime(opts.modified ?? new Date(Date.UTC(1980, 0, 1)));
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    checkName(entry.name, seen);
    const nameBytes = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.data);
    const deflated = deflateRawSync(entry.data);
    // Store when deflate does not help (tiny or already-compressed parts such as images).
    const method = deflated.length < entry.data.length ? METHOD_DEFLATE : METHOD_STORED;
    const body = method === METHOD_DEFLATE ? deflated : entry.data;
    if (entry.data.length > 0xfffffffe || offset > 0xfffffffe) {
      throw new ZipError('unsupported', `${entry.name} needs ZIP64`);
    }

    const local = Buffer.alloc(LOCAL_BYTES);
    local.writeUInt32LE(LOCAL_SIG, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(stamp.time, 10);
    local.writeUInt16LE(stamp.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const dir = Buffer.alloc(CENTRAL_BYTES);
    dir.writeUInt32LE(CENTRAL_SIG, 0);
    dir.writeUInt16LE(VERSION, 4);
    dir.writeUInt16LE(VERSION, 6);
    dir.writeUInt16LE(FLAG_UTF8, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt16LE(stamp.time, 12);
    dir.writeUInt16LE(stamp.date, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(entry.data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);

    parts.push(local, nameBytes, body);
    central.push(dir, nameBytes);
    offset += LOCAL_BYTES + nameBytes.length + body.length;
  }

  const cd = Buffer.concat(central);
  const end = Buffer.alloc(END_BYTES);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

function checkName(name: string, seen: Set<string>): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new ZipError('bad-entry', `"${name}" is not a valid entry name`);
  }
  if (seen.has(name)) throw new ZipError('bad-entry', `"${name}" appears twice`);
  seen.add(name);
}

/** The entry with this name (exact, as OPC part names are case-insensitive only in theory). */
export function entryText(entries: readonly ZipEntry[], name: string): string | null {
  const found = entries.find((e) => e.name === name || e.name.toLowerCase() === name.toLowerCase());
  return found ? found.data.toString('utf8') : null;
}

/** A copy of `entries` with one part replaced (or added at the end). */
export function withEntry(entries: readonly ZipEntry[], name: string, data: Buffer): ZipEntry[] {
  const at = entries.findIndex((e) => e.name.toLowerCase() === name.toLowerCase());
  if (at < 0) return [...entries, { name, data }];
  return entries.map((e, i) => (i === at ? { name: e.name, data } : e));
}
