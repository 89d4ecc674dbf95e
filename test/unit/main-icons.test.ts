// The committed app icons: well-formed PNGs of the size their names say, and exactly what
// scripts/make-icons.mjs produces (so they can be regenerated instead of hand-edited).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const ICONS = path.join(ROOT, 'assets', 'icons');

interface IconsModule {
  ICON_SIZES: number[];
  crc32: (bytes: Uint8Array) => number;
  writeIcons: (outDir: string) => string[];
}

const load = async (): Promise<IconsModule> =>
  (await import(pathToFileURL(path.join(ROOT, 'scripts', 'make-icons.mjs')).href)) as IconsModule;

interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
}

function chunks(png: Buffer): Chunk[] {
  const out: Chunk[] = [];
  let at = 8;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    out.push({
      type: png.toString('latin1', at + 4, at + 8),
      data: png.subarray(at + 8, at + 8 + length),
      crc: png.readUInt32BE(at + 8 + length),
    });
    at += 12 + length;
  }
  return out;
}

void test('crc32 matches the PNG specification check value', async () => {
  const { crc32 } = await load();
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

void test('every size from 16 to 512 exists and is a valid RGBA PNG of that size', async () => {
  const { ICON_SIZES, crc32 } = await load();
  assert.deepEqual(ICON_SIZES, [16, 24, 32, 48, 64, 128, 256, 512]);
  for (const size of ICON_SIZES) {
    const png = fs.readFileSync(path.join(ICONS, `${size}x${size}.png`));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'signature');
    const list = chunks(png);
    assert.deepEqual(
      list.map((c) => c.type),
      ['IHDR', 'IDAT', 'IEND'],
    );
    for (const c of list) {
      assert.equal(
        crc32(Buffer.concat([Buffer.from(c.type, 'latin1'), c.data])),
        c.crc,
        `${size}: ${c.type} CRC`,
      );
    }
    const ihdr = list[0]!.data;
    assert.equal(ihdr.readUInt32BE(0), size);
    assert.equal(ihdr.readUInt32BE(4), size);
    assert.deepEqual([ihdr[8], ihdr[9]], [8, 6], '8-bit RGBA');
    const raw = zlib.inflateSync(list[1]!.data);
    assert.equal(raw.length, (size * 4 + 1) * size, 'one filter byte + RGBA per row');
    // Corners are transparent (rounded square), the centre is opaque.
    const alpha = (x: number, y: number): number => raw[y * (size * 4 + 1) + 1 + x * 4 + 3] ?? -1;
    assert.equal(alpha(0, 0), 0, `${size}: corner`);
    assert.equal(alpha(size >> 1, size >> 1), 255, `${size}: centre`);
  }
  assert.deepEqual(
    fs.readFileSync(path.join(ICONS, 'icon.png')),
    fs.readFileSync(path.join(ICONS, '512x512.png')),
  );
});

void test('the committed icons are exactly what the script generates', async (t) => {
  const { writeIcons } = await load();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-icons-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const file of writeIcons(dir)) {
    const name = path.basename(file);
    assert.ok(fs.readFileSync(file).equals(fs.readFileSync(path.join(ICONS, name))), name);
  }
});
