// The simulator's ZIP reader/writer: round trips, CRC-32, and refusal of damaged archives.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { crc32, entryText, readZip, withEntry, writeZip, ZipError } from '../../server/simulator/ooxml/zip';

void test('CRC-32 matches the standard check value', () => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(Buffer.alloc(0)), 0);
});

void test('entries round-trip: deflated text, stored random bytes, empty and UTF-8 names', () => {
  const entries = [
    { name: '[Content_Types].xml', data: Buffer.from('<Types>'.repeat(200)) },
    { name: 'media/noise.bin', data: randomBytes(4096) },
    { name: 'empty.txt', data: Buffer.alloc(0) },
    { name: 'docs/résumé 文件.xml', data: Buffer.from('<x>é</x>') },
  ];
  const zip = writeZip(entries);
  assert.equal(zip.readUInt32LE(0), 0x04034b50, 'starts with a local file header');
  const back = readZip(zip);
  assert.deepEqual(
    back.map((e) => e.name),
    entries.map((e) => e.name),
  );
  for (const [i, e] of entries.entries()) assert.ok(back[i]!.data.equals(e.data), `${e.name} differs`);
  // Repetitive text is compressed; incompressible bytes are stored, so the archive stays small.
  assert.ok(zip.length < 1400 + 4096 + 400, `archive is ${zip.length} bytes`);
  assert.equal(entryText(back, 'DOCS/RÉSUMÉ 文件.XML'.toLowerCase()), '<x>é</x>');
});

void test('the same input gives the same bytes (fixed timestamp)', () => {
  const entries = [{ name: 'a.xml', data: Buffer.from('<a/>') }];
  assert.ok(writeZip(entries).equals(writeZip(entries)));
  const dated = writeZip(entries, { modified: new Date(Date.UTC(2024, 5, 1, 12, 30, 10)) });
  assert.ok(!dated.equals(writeZip(entries)), 'the modified time is written');
  assert.ok(readZip(dated)[0]!.data.equals(entries[0]!.data));
});

void test('withEntry replaces one part and keeps the order of the others', () => {
  const entries = [
    { name: 'a.xml', data: Buffer.from('a') },
    { name: 'b.xml', data: Buffer.from('b') },
  ];
  const replaced = withEntry(entries, 'a.xml', Buffer.from('A'));
  assert.deepEqual(
    replaced.map((e) => [e.name, e.data.toString()]),
    [
      ['a.xml', 'A'],
      ['b.xml', 'b'],
    ],
  );
  assert.equal(withEntry(entries, 'c.xml', Buffer.from('c')).length, 3);
});

void test('damaged or foreign input is refused with a typed error', () => {
  const zip = writeZip([{ name: 'part.xml', data: Buffer.from('<root>'.repeat(100)) }]);
  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof ZipError, `expected ZipError, got ${String(e)}`);
      return e.code;
    }
    assert.fail('expected an error');
  };
  assert.equal(
    code(() => readZip(Buffer.from('not a zip at all, just some text here'))),
    'not-zip',
  );
  assert.equal(
    code(() => readZip(Buffer.alloc(5))),
    'not-zip',
  );
  const flipped = Buffer.from(zip);
  flipped[40] = flipped[40]! ^ 0xff; // inside the compressed data
  assert.ok(['corrupt'].includes(code(() => readZip(flipped))));
  assert.equal(
    code(() => readZip(zip.subarray(0, zip.length - 30))),
    'not-zip',
  );
  assert.equal(
    code(() => writeZip([{ name: '../evil', data: Buffer.alloc(1) }])),
    'bad-entry',
  );
  assert.equal(
    code(() =>
      writeZip([
        { name: 'a', data: Buffer.alloc(1) },
        { name: 'a', data: Buffer.alloc(1) },
      ]),
    ),
    'bad-entry',
  );
  assert.equal(
    code(() => readZip(zip, { maxEntryBytes: 10 })),
    'too-large',
  );
});
