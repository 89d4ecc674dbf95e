// Simulated edits to Office packages: the result is still a valid package, only the edited part
// changed, and that part is well-formed XML holding the new text where the format expects it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import {
  addParagraph,
  addRow,
  addTextBox,
  editOfficeFile,
  summarizeOfficeFile,
} from '../../server/simulator/ooxml/edit';
import type { OfficeKind } from '../../server/simulator/ooxml/edit';
import {
  blankDocument,
  buildDocx,
  buildPptx,
  buildXlsx,
  sampleFiles,
} from '../../server/simulator/ooxml/samples';
import { readZip, writeZip } from '../../server/simulator/ooxml/zip';

const TEXT = 'Edited by the WOPI Workbench simulator at 2026-01-02T03:04:05.000Z & <friends>';
const ESCAPED = 'Edited by the WOPI Workbench simulator at 2026-01-02T03:04:05.000Z &#38; &#60;friends&#62;';

function wellFormed(xml: string, what: string): void {
  const r = XMLValidator.validate(xml);
  assert.equal(r, true, `${what} is not well-formed: ${JSON.stringify(r)}`);
}

function checkPackage(kind: OfficeKind, original: Buffer, mainPart: string): string {
  const edited = editOfficeFile(kind, original, TEXT);
  assert.equal(edited.part, mainPart);
  const before = readZip(original);
  const after = readZip(edited.bytes);
  assert.deepEqual(
    after.map((e) => e.name),
    before.map((e) => e.name),
    'same parts in the same order',
  );
  for (const [i, e] of after.entries()) {
    wellFormed(e.data.toString('utf8'), e.name);
    if (e.name !== mainPart) assert.ok(e.data.equals(before[i]!.data), `${e.name} must be untouched`);
  }
  const xml = after.find((e) => e.name === mainPart)!.data.toString('utf8');
  assert.ok(xml.includes(ESCAPED), `${mainPart} should hold the escaped text`);
  assert.ok(summarizeOfficeFile(kind, edited.bytes).text.includes(TEXT), 'the summary shows the new text');
  return xml;
}

void test('docx: a paragraph is added at the end of the body, before the body sectPr', () => {
  const xml = checkPackage('docx', buildDocx(['Title', 'Body']), 'word/document.xml');
  const p = xml.indexOf(ESCAPED);
  assert.ok(p > xml.indexOf('Body'), 'after the existing paragraphs');
  assert.ok(p < xml.indexOf('<w:sectPr'), 'sectPr stays the last child of the body');
  assert.ok(xml.indexOf('<w:sectPr') < xml.indexOf('</w:body>'));
});

void test('docx without a body sectPr, and with a paragraph-level sectPr', () => {
  const plain = '<w:document xmlns:w="w"><w:body><w:p/></w:body></w:document>';
  const out = addParagraph(plain, 'x');
  assert.ok(out.endsWith('<w:p><w:r><w:t xml:space="preserve">x</w:t></w:r></w:p></w:body></w:document>'));
  const nested =
    '<w:document xmlns:w="w"><w:body><w:p><w:pPr><w:sectPr/></w:pPr></w:p><w:p/></w:body></w:document>';
  const out2 = addParagraph(nested, 'y');
  assert.ok(
    out2.indexOf('>y<') > out2.lastIndexOf('<w:p/>'),
    'a sectPr inside a paragraph is not the body one',
  );
  wellFormed(out2, 'nested');
});

void test('xlsx: a new row with an inline string follows the last row and the dimension grows', () => {
  const xml = checkPackage(
    'xlsx',
    buildXlsx([
      ['a', 1],
      ['b', 2],
    ]),
    'xl/worksheets/sheet1.xml',
  );
  assert.match(xml, /<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve">Edited by/);
  assert.ok(xml.includes('<dimension ref="A1:B3"/>'), xml);
  assert.ok(xml.indexOf('<row r="3"') > xml.indexOf('<row r="2"'));
  assert.equal(
    addRow('<worksheet><sheetData/></worksheet>', 'z'),
    '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">z</t></is></c></row></sheetData></worksheet>',
  );
});

void test('pptx: a text box with a fresh shape id is added to the first slide', () => {
  const xml = checkPackage('pptx', buildPptx('Deck', ['one', 'two']), 'ppt/slides/slide1.xml');
  const ids = [...xml.matchAll(/<p:cNvPr id="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(new Set(ids).size, ids.length, `shape ids must be unique: ${ids.join(',')}`);
  assert.ok(xml.lastIndexOf(ESCAPED) < xml.indexOf('</p:spTree>'));
  assert.throws(() => addTextBox('<p:sld/>', 'x'), /spTree/);
});

void test('the first sheet and slide are found through relationships, not by fixed names', () => {
  // Rename the slide part and point the presentation's relationship at it.
  const entries = readZip(buildPptx('Deck', ['x'])).map((e) => {
    if (e.name === 'ppt/slides/slide1.xml') return { ...e, name: 'ppt/slides/intro.xml' };
    if (e.name === 'ppt/_rels/presentation.xml.rels') {
      return { ...e, data: Buffer.from(e.data.toString().replace('slides/slide1.xml', 'slides/intro.xml')) };
    }
    return e;
  });
  const edited = editOfficeFile('pptx', writeZip(entries), TEXT);
  assert.equal(edited.part, 'ppt/slides/intro.xml');
});

void test('blank templates and the committed samples are valid packages', () => {
  for (const kind of ['docx', 'xlsx', 'pptx'] as const) {
    const parts = readZip(blankDocument(kind));
    assert.ok(parts.some((p) => p.name === '[Content_Types].xml'));
    for (const p of parts) wellFormed(p.data.toString('utf8'), `${kind} ${p.name}`);
  }
  for (const sample of sampleFiles()) {
    const committed = readFileSync(new URL(`../../assets/samples/${sample.name}`, import.meta.url));
    assert.ok(
      committed.equals(sample.data),
      `assets/samples/${sample.name} differs from what scripts/make-samples.mjs generates: if something ` +
        'saved into it, `git checkout assets/samples`; if the generator changed, run node scripts/make-samples.mjs',
    );
  }
});

void test('a package that is not a ZIP is reported, not silently rewritten', () => {
  assert.throws(() => editOfficeFile('docx', Buffer.from('plain text'), TEXT), /ZIP/);
});
