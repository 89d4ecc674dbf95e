// Small, valid Office packages: the samples in assets/samples (scripts/make-samples.mjs) and the
// templates the simulator writes for "editnew" on an empty file, as Office does (PROTOCOL §10.6).
import type { OfficeKind } from './edit';
import { escapeXml } from './xml';
import { presentationParts } from './samples-pptx';
import { contentTypes, CT, DOC_REL, PKG_REL, relationships, xmlEntry } from './opc';
import { writeZip } from './zip';
import type { ZipEntry } from './zip';

function packageRels(main: string): ZipEntry {
  return relationships('_rels/.rels', [
    ['rId1', `${DOC_REL}/officeDocument`, main],
    ['rId2', `${PKG_REL}/metadata/core-properties`, 'docProps/core.xml'],
    ['rId3', `${DOC_REL}/extended-properties`, 'docProps/app.xml'],
  ]);
}

function docProps(title: string): ZipEntry[] {
  return [
    xmlEntry(
      'docProps/core.xml',
      '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        `<dc:title>${escapeXml(title)}</dc:title><dc:creator>WOPI Workbench</dc:creator>` +
        '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>' +
        '</cp:coreProperties>',
    ),
    xmlEntry(
      'docProps/app.xml',
      `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>WOPI Workbench</Application></Properties>`,
    ),
  ];
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export function buildDocx(paragraphs: readonly string[], title = 'WOPI Workbench sample'): Buffer {
  const body = paragraphs
    .map((text, i) =>
      i === 0
        ? `<w:p><w:r><w:rPr><w:b/><w:sz w:val="36"/></w:rPr><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`
        : `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`,
    )
    .join('');
  return writeZip([
    contentTypes([['/word/document.xml', `${CT}.wordprocessingml.document.main+xml`]]),
    packageRels('word/document.xml'),
    xmlEntry(
      'word/document.xml',
      `<w:document xmlns:w="${W_NS}"><w:body>${body}` +
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>' +
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>' +
        '</w:sectPr></w:body></w:document>',
    ),
    ...docProps(title),
  ]);
}

const S_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** Rows of cells: strings become shared strings, numbers stay numbers, "=..." become formulas. */
export function buildXlsx(
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  title = 'WOPI Workbench sample',
): Buffer {
  const shared: string[] = [];
  const cols = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const sheetRows = rows
    .map((row, r) => {
      const cells = row
        .map((value, c) => {
          const ref = `${cols[c]}${r + 1}`;
          if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
          if (value.startsWith('=')) return `<c r="${ref}"><f>${escapeXml(value.slice(1))}</f></c>`;
          let index = shared.indexOf(value);
          if (index < 0) index = shared.push(value) - 1;
          return `<c r="${ref}" t="s"><v>${index}</v></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join('');
  const width = Math.max(1, ...rows.map((r) => r.length));
  const dimension = rows.length ? `A1:${cols[width - 1]}${rows.length}` : 'A1';
  const strings = shared.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('');
  return writeZip([
    contentTypes([
      ['/xl/workbook.xml', `${CT}.spreadsheetml.sheet.main+xml`],
      ['/xl/worksheets/sheet1.xml', `${CT}.spreadsheetml.worksheet+xml`],
      ['/xl/styles.xml', `${CT}.spreadsheetml.styles+xml`],
      ['/xl/sharedStrings.xml', `${CT}.spreadsheetml.sharedStrings+xml`],
    ]),
    packageRels('xl/workbook.xml'),
    xmlEntry(
      'xl/workbook.xml',
      `<workbook xmlns="${S_NS}" xmlns:r="${DOC_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets><calcPr fullCalcOnLoad="1"/></workbook>`,
    ),
    relationships('xl/_rels/workbook.xml.rels', [
      ['rId1', `${DOC_REL}/worksheet`, 'worksheets/sheet1.xml'],
      ['rId2', `${DOC_REL}/styles`, 'styles.xml'],
      ['rId3', `${DOC_REL}/sharedStrings`, 'sharedStrings.xml'],
    ]),
    xmlEntry(
      'xl/worksheets/sheet1.xml',
      `<worksheet xmlns="${S_NS}"><dimension ref="${dimension}"/><sheetData>${sheetRows}</sheetData></worksheet>`,
    ),
    xmlEntry(
      'xl/styles.xml',
      `<styleSheet xmlns="${S_NS}">` +
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>' +
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
        '</styleSheet>',
    ),
    xmlEntry(
      'xl/sharedStrings.xml',
      `<sst xmlns="${S_NS}" count="${shared.length}" uniqueCount="${shared.length}">${strings}</sst>`,
    ),
    ...docProps(title),
  ]);
}

export function buildPptx(title: string, lines: readonly string[]): Buffer {
  const parts = presentationParts(title, lines);
  return writeZip([
    contentTypes(parts.overrides.map(([p, t]) => [p, `${CT}.${t}`])),
    packageRels('ppt/presentation.xml'),
    ...parts.entries,
    ...docProps(title),
  ]);
}

/** An empty document of each kind: what Office writes into a 0-byte file opened with editnew. */
export function blankDocument(kind: OfficeKind): Buffer {
  if (kind === 'docx') return buildDocx([''], 'Document');
  if (kind === 'xlsx') return buildXlsx([], 'Book');
  return buildPptx('Presentation', []);
}

export interface SampleFile {
  name: string;
  data: Buffer;
}

/** The files in assets/samples (regenerate with `node scripts/make-samples.mjs`). */
export function sampleFiles(): SampleFile[] {
  return [
    {
      name: 'sample.docx',
      data: buildDocx([
        'WOPI Workbench sample document',
        'Open this file through the host page to watch every WOPI request it causes.',
        'Edits made in Word for the web, Collabora, ONLYOFFICE or the built-in simulator are saved back to this folder.',
      ]),
    },
    {
      name: 'sample.xlsx',
      data: buildXlsx([
        ['Item', 'Count'],
        ['Locks', 3],
        ['Saves', 7],
        ['Total', '=SUM(B2:B3)'],
      ]),
    },
    {
      name: 'sample.pptx',
      data: buildPptx('WOPI Workbench sample', [
        'Every WOPI request, decoded',
        'Locks, versions and proof keys, live',
      ]),
    },
    {
      name: 'readme.txt',
      data: Buffer.from(
        [
          'WOPI Workbench samples',
          '',
          'Serve this folder with `wopi-workbench serve --folder assets/samples` and open a file from the',
          'UI (or `wopi-workbench open --data-dir <dir> --file sample.docx`). With the built-in simulated client this',
          'text file opens in an editable text box; saving it sends Lock, PutFile, RefreshLock and Unlock.',
          '',
          'test.wopitest is for the WOPI validator: its content is destroyed by the validator runs.',
          '',
        ].join('\n'),
        'utf8',
      ),
    },
    {
      name: 'test.wopitest',
      data: Buffer.from('WOPI validator test file. The validator overwrites it.\n', 'utf8'),
    },
  ];
}
