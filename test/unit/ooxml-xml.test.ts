// OOXML parts as other producers write them (prefixes other than w:/x:/a:, default namespaces,
// attributes in any order, entities, BOMs, hidden sheets): the simulator's edit lands where the
// format expects it, nothing else in the part moves, and unreadable parts are refused by name.
import assert from 'node:assert/strict';
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
import { buildDocx, buildPptx, buildXlsx } from '../../server/simulator/ooxml/samples';
import { escapeXml, parseXml } from '../../server/simulator/ooxml/xml';
import { readZip, writeZip } from '../../server/simulator/ooxml/zip';

const WML = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const SML = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const DML = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const PML = 'http://schemas.openxmlformats.org/presentationml/2006/main';

function wellFormed(xml: string): void {
  assert.equal(XMLValidator.validate(xml), true, xml);
}

/** `base` with one part's text replaced. */
function withPart(base: Buffer, name: string, xml: string): Buffer {
  return writeZip(readZip(base).map((e) => (e.name === name ? { ...e, data: Buffer.from(xml, 'utf8') } : e)));
}

function partOf(bytes: Buffer, name: string): string {
  return readZip(bytes)
    .find((e) => e.name === name)!
    .data.toString('utf8');
}

function edit(kind: OfficeKind, bytes: Buffer, text: string): string {
  const out = editOfficeFile(kind, bytes, text);
  const xml = partOf(out.bytes, out.part);
  wellFormed(xml);
  assert.ok(summarizeOfficeFile(kind, out.bytes).text.includes(text), 'the summary shows the new text');
  return xml;
}

void test('docx: another prefix, attributes in another order, xml:space text and entities', () => {
  const xml =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
    `<ns0:document xmlns:mc="urn:mc" mc:Ignorable="w14" xmlns:ns0="${WML}">\r\n` +
    '  <ns0:body>\r\n' +
    '    <ns0:p ns0:rsidR="00A1"><ns0:r><ns0:t xml:space="preserve">  Tom &amp; Jerry &#38; &#x3C;friends&gt;  </ns0:t></ns0:r></ns0:p>\r\n' +
    '    <ns0:sectPr ns0:rsidR="1"><ns0:pgSz ns0:h="16838" ns0:w="11906"/></ns0:sectPr>\r\n' +
    '  </ns0:body>\r\n' +
    '</ns0:document>';
  const docx = withPart(buildDocx(['x']), 'word/document.xml', xml);
  assert.equal(summarizeOfficeFile('docx', docx).text, '  Tom & Jerry & <friends>  ');
  const out = edit('docx', docx, 'new & "quoted"');
  const added =
    '<ns0:p><ns0:r><ns0:t xml:space="preserve">new &#38; &#34;quoted&#34;</ns0:t></ns0:r></ns0:p>';
  // Spliced in right before the body's sectPr; every other character is where it was.
  const at = xml.indexOf('<ns0:sectPr');
  assert.equal(out, xml.slice(0, at) + added + xml.slice(at));
});

void test('docx: default namespace, self-closed body, and a decoy end tag in a comment', () => {
  const plain = `<document xmlns="${WML}"><body/></document>`;
  assert.equal(
    addParagraph(plain, 'a'),
    `<document xmlns="${WML}"><body><p><r><t xml:space="preserve">a</t></r></p></body></document>`,
  );
  // The old string search took the last "</w:body>" in the text, which here is inside a comment.
  const decoy = `<w:document xmlns:w="${WML}"><w:body><w:p/></w:body><!-- </w:body> --></w:document>`;
  const out = addParagraph(decoy, 'b');
  wellFormed(out);
  assert.ok(out.indexOf('>b<') < out.indexOf('<!--'), out);
});

void test('docx: a byte-order mark before the declaration is kept and the edit still lands', () => {
  const xml = `\uFEFF<?xml version="1.0"?><w:document xmlns:w="${WML}"><w:body><w:p/></w:body></w:document>`;
  const out = addParagraph(xml, 'bom');
  assert.ok(out.startsWith('\uFEFF<?xml'));
  assert.ok(
    out.endsWith('<w:p/><w:p><w:r><w:t xml:space="preserve">bom</w:t></w:r></w:p></w:body></w:document>'),
  );
});

void test('xlsx: a prefixed worksheet (OpenXML SDK style), rows without r, a hidden first sheet', () => {
  const sheet =
    `<x:worksheet xmlns:x="${SML}"><x:dimension ref="B2:C3"/>` +
    '<x:sheetData><x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>two</x:t></x:is></x:c></x:row>' +
    '<x:row><x:c r="C3"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>';
  const out = addRow(sheet, 'next');
  wellFormed(out);
  assert.ok(
    out.includes(
      '<x:row r="4"><x:c r="A4" t="inlineStr"><x:is><x:t xml:space="preserve">next</x:t></x:is></x:c></x:row></x:sheetData>',
    ),
    out,
  );
  assert.ok(out.includes('<x:dimension ref="A2:C4"/>'), 'the used range now covers A4');
  assert.equal(
    addRow(`<worksheet xmlns="${SML}"><sheetData /></worksheet>`, 'z'),
    `<worksheet xmlns="${SML}"><sheetData ><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">z</t></is></c></row></sheetData></worksheet>`,
  );

  // Two sheets, the first hidden: Excel opens on the second, so that is the one edited.
  const patches: Record<string, [string, string]> = {
    'xl/workbook.xml': [
      '<sheet name="Sheet1" sheetId="1" r:id="rId1"/>',
      '<sheet name="Hidden" sheetId="1" state="hidden" r:id="rId1"/><sheet r:id="rId9" name="Shown" sheetId="2"/>',
    ],
    'xl/_rels/workbook.xml.rels': [
      '</Relationships>',
      '<Relationship Target="worksheets/shown.xml" Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
    ],
  };
  const entries = readZip(buildXlsx([['a']])).flatMap((e) => {
    const patch = patches[e.name];
    if (patch) return [{ ...e, data: Buffer.from(e.data.toString().replace(...patch)) }];
    if (e.name === 'xl/worksheets/sheet1.xml') return [e, { name: 'xl/worksheets/shown.xml', data: e.data }];
    return [e];
  });
  const edited = editOfficeFile('xlsx', writeZip(entries), 'visible');
  assert.equal(edited.part, 'xl/worksheets/shown.xml');
});

void test('pptx: DrawingML under another prefix, or not declared on the slide at all', () => {
  const slide = (decl: string, d: string): string =>
    `<p:sld xmlns:p="${PML}"${decl}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>` +
    `<p:grpSpPr/><p:pic><p:nvPicPr><p:cNvPr id="7" name="Picture"/></p:nvPicPr></p:pic>` +
    `<p:sp><p:nvSpPr><p:cNvPr name="T" id="4"/></p:nvSpPr><p:txBody><${d}p><${d}r><${d}t>old</${d}t></${d}r></${d}p></p:txBody></p:sp>` +
    '</p:spTree></p:cSld></p:sld>';
  const other = addTextBox(slide(` xmlns:d="${DML}"`, 'd:'), 'hi');
  wellFormed(other);
  assert.ok(other.includes('<p:cNvPr id="8" name="Workbench edit 8"/>'), 'id above every drawing id');
  assert.ok(other.includes('<d:p><d:r><d:rPr lang="en-US" dirty="0"/><d:t>hi</d:t></d:r></d:p>'), other);
  assert.ok(!other.includes('<a:'), 'no undeclared a: prefix');

  const none = addTextBox(slide('', 'q:').replace('<p:txBody>', `<p:txBody xmlns:q="${DML}">`), 'hi');
  wellFormed(none);
  assert.ok(none.includes(`<p:sp xmlns:a="${DML}"><p:nvSpPr><p:cNvPr id="8"`), none);

  const deck = withPart(buildPptx('Deck', []), 'ppt/slides/slide1.xml', slide(` xmlns:d="${DML}"`, 'd:'));
  edit('pptx', deck, 'in the deck');
});

void test('a part that is not well-formed XML is refused with its name and position', () => {
  const docx = withPart(
    buildDocx(['x']),
    'word/document.xml',
    `<w:document xmlns:w="${WML}"><w:body><w:p></w:body></w:document>`,
  );
  assert.throws(
    () => editOfficeFile('docx', docx, 'x'),
    /word\/document\.xml is not well-formed XML \(line 1, column \d+\)/,
  );
  assert.throws(() => parseXml('just text', 'x.xml'), /x\.xml is not well-formed XML/);
  assert.throws(() => addParagraph(`<w:hdr xmlns:w="${WML}"><w:p/></w:hdr>`, 'x'), /<w:hdr>, not <document>/);
});

void test('escapeXml makes any string safe in content and attributes', () => {
  const nasty = 'a\u0000b\u0008c\u000bd\ud800e\udc00f😀g<&>"\'\t\n\r';
  const escaped = escapeXml(nasty);
  wellFormed(`<a b="${escaped}">${escaped}</a>`);
  const root = parseXml(`<a b="${escaped}">${escaped}</a>`, 'test');
  const expected = 'a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf😀g<&>"\'\t\n\r';
  assert.equal(root.text, expected, 'content round-trips, control characters become U+FFFD');
  assert.equal(root.attrs['b'], expected, 'attribute whitespace survives normalisation');
});
