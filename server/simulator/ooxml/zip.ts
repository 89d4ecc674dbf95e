// ZIP packages for the simulator (.docx/.xlsx/.pptx) through fflate. fflate unpacks and packs;
// what it takes on trust is checked here: its unzipSync never verifies CRC-32, cuts an entry to
// whatever size the central directory claims, and reads past a bad offset without complaint, so a
// damaged or foreign file would come back as plausible garbage and be saved again with fresh
// checksums. readZip therefore reads each entry's CRC-32 and sizes from the central directory and
// compares the unpacked bytes with them. No ZIP64, no encryption (Office documents need neither).
import { crc32 as zlibCrc32 } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import type { UnzipFileInfo, ZipOptions, Zippable } from 'fflate';

export interface ZipEntry {
  /** Forward slashes, no leading slash (e.g. "word/document.xml"). */
  name: string;
  data: Buffer;
  /**
   * Write this entry uncompressed. readZip sets it on entries that were stored (some readers need
   * a part stored, e.g. an ODF or EPUB `mimetype`) or that deflate did not shrink (media), so a
   * rewrite keeps them stored and does not spend time deflating them again.
   */
  stored?: boolean;
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

/** CRC-32 (IEEE 802.3, as ZIP uses it). */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes);
}

/** Office documents are far smaller; a bigger entry is a zip bomb or not something to edit here. */
const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024 * 1024;
const END_SIG = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const LOCAL_BYTES = 30;
const END_BYTES = 22;
const CENTRAL_BYTES = 46;
const FLAG_ENCRYPTED = 0x0001;

interface CentralRecord {
  crc: number;
  size: number;
}

/**
 * CRC-32 and size of every entry, in central-directory order (the order fflate's filter sees them),
 * after checking that each entry's local header is where the directory says and names the same
 * file: the name is the one field no checksum covers. Decoding and unpacking are fflate's.
 */
function centralRecords(zip: Buffer): CentralRecord[] {
  if (zip.length < END_BYTES)
    throw new ZipError('not-zip', `${zip.length} bytes is too short to be a ZIP file`);
  // The end record sits in the last 22 bytes plus at most a 64 KiB comment.
  const end = zip.lastIndexOf(END_SIG, zip.length - END_BYTES);
  if (end < 0 || end < zip.length - END_BYTES - 0xffff)
    throw new ZipError('not-zip', 'no end-of-central-directory record: this is not a ZIP file');
  const count = zip.readUInt16LE(end + 10);
  const cdSize = zip.readUInt32LE(end + 12);
  const cdOffset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
    throw new ZipError('unsupported', 'ZIP64 archives are not supported');
  if (cdOffset + cdSize > end)
    throw new ZipError('truncated', 'the central directory runs past the end record');
  const records: CentralRecord[] = [];
  for (let at = cdOffset, i = 0; i < count; i++) {
    if (at + CENTRAL_BYTES > end || zip.readUInt32LE(at) !== CENTRAL_SIG)
      throw new ZipError('corrupt', `central directory entry ${i} is damaged`);
    if (zip.readUInt16LE(at + 8) & FLAG_ENCRYPTED)
      throw new ZipError('unsupported', `entry ${i} is encrypted`);
    const size = zip.readUInt32LE(at + 24);
    if (size === 0xffffffff || zip.readUInt32LE(at + 20) === 0xffffffff)
      throw new ZipError('unsupported', 'ZIP64 entries are not supported');
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    if (
      local + LOCAL_BYTES + nameLength > zip.length ||
      zip.readUInt32LE(local) !== LOCAL_SIG ||
      zip.readUInt16LE(local + 26) !== nameLength ||
      zip.compare(
        zip,
        at + CENTRAL_BYTES,
        at + CENTRAL_BYTES + nameLength,
        local + LOCAL_BYTES,
        local + LOCAL_BYTES + nameLength,
      ) !== 0
    ) {
      throw new ZipError('corrupt', `entry ${i}: its local header is missing, or the names differ`);
    }
    records.push({ crc: zip.readUInt32LE(at + 16), size });
    at += CENTRAL_BYTES + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return records;
}

export function readZip(zip: Buffer, opts: { maxEntryBytes?: number } = {}): ZipEntry[] {
  const maxEntryBytes = opts.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const records = centralRecords(zip);
  const seen: UnzipFileInfo[] = [];
  const names = new Set<string>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      // Called once per entry, in directory order, before that entry is unpacked.
      filter: (file) => {
        if (names.has(file.name)) throw new ZipError('corrupt', `${file.name} appears twice in the archive`);
        if (file.originalSize > maxEntryBytes)
          throw new ZipError('too-large', `${file.name} would unpack to ${file.originalSize} bytes`);
        if (file.compression !== 0 && file.compression !== 8)
          throw new ZipError('unsupported', `${file.name} uses compression method ${file.compression}`);
        seen.push(file);
        names.add(file.name);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ZipError) throw err;
    const at = seen.at(-1)?.name;
    throw new ZipError('corrupt', `${at ?? 'the archive'} does not unpack (${(err as Error).message})`);
  }
  if (seen.length !== records.length)
    throw new ZipError('corrupt', `the archive lists ${records.length} entries but holds ${seen.length}`);
  return seen.map((file, i) => {
    const data = files[file.name]!;
    const expected = records[i]!;
    if (data.length !== expected.size)
      throw new ZipError(
        'corrupt',
        `${file.name} unpacked to ${data.length} bytes, expected ${expected.size}`,
      );
    if (crc32(data) !== expected.crc) throw new ZipError('corrupt', `${file.name} fails its CRC-32 check`);
    const entry: ZipEntry = { name: file.name, data: Buffer.from(data.buffer, data.byteOffset, data.length) };
    if (file.compression === 0 || file.size >= file.originalSize) entry.stored = true;
    return entry;
  });
}

export interface WriteZipOptions {
  /** Timestamp written on every entry; fixed by default so the same input gives the same bytes. */
  modified?: Date;
}

/** 1980-01-01 00:00 in the local zone: ZIP times are local, so this is the same DOS stamp anywhere. */
const FIXED_STAMP = new Date(1980, 0, 1);
const LAST_STAMP = new Date(2099, 11, 31, 23, 59, 58);

/** DOS times cover 1980-2099 (fflate refuses others); clamp rather than fail a save over a clock. */
function dosRange(date: Date): Date {
  if (!(date.getTime() >= FIXED_STAMP.getTime())) return FIXED_STAMP;
  return date.getTime() > LAST_STAMP.getTime() ? LAST_STAMP : date;
}

export function writeZip(entries: readonly ZipEntry[], opts: WriteZipOptions = {}): Buffer {
  if (entries.length >= 0xffff) throw new ZipError('unsupported', 'too many entries for a non-ZIP64 archive');
  const seen = new Set<string>();
  // fflate writes entries in the object's key order, which is insertion order for names like these
  // (a bare integer such as "7" would sort first; no OPC part name has that form).
  const files: Zippable = {};
  for (const entry of entries) {
    checkName(entry.name, seen);
    if (entry.data.length > 0xfffffffe) throw new ZipError('unsupported', `${entry.name} needs ZIP64`);
    files[entry.name] = entry.stored ? [entry.data, { level: 0 }] : entry.data;
  }
  const options: ZipOptions = { mtime: dosRange(opts.modified ?? FIXED_STAMP) };
  const out = zipSync(files, options);
  if (out.length > 0xfffffffe) throw new ZipError('unsupported', 'the archive would need ZIP64');
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

function checkName(name: string, seen: Set<string>): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
    throw new ZipError('bad-entry', `"${name}" is not a valid entry name`);
  }
  if (seen.has(name)) throw new ZipError('bad-entry', `"${name}" appears twice`);
  seen.add(name);
}

/** The entry with this name; OPC part names compare case-insensitively, so that is the fallback. */
export function findEntry(entries: readonly ZipEntry[], name: string): ZipEntry | undefined {
  const lower = name.toLowerCase();
  return entries.find((e) => e.name === name) ?? entries.find((e) => e.name.toLowerCase() === lower);
}

/** The text of the entry with this name (see findEntry), or null. */
export function entryText(entries: readonly ZipEntry[], name: string): string | null {
  return findEntry(entries, name)?.data.toString('utf8') ?? null;
}

/** A copy of `entries` with one part's bytes replaced (or the part added at the end). */
export function withEntry(entries: readonly ZipEntry[], name: string, data: Buffer): ZipEntry[] {
  const found = findEntry(entries, name);
  if (!found) return [...entries, { name, data }];
  return entries.map((e) => (e === found ? { ...e, data } : e));
}
