// Visible, schema-respecting edits to Office packages, so a simulated "edit" changes what Word,
// Excel or PowerPoint shows: a new paragraph (docx), a new row (xlsx), a new text box on the first
// slide (pptx). Parts are read with fast-xml-parser (./xml); the new markup is spliced in at the
// parsed element's offsets, so every other byte of the part stays as it was.
import {
  appendInside,
  applySplices,
  child,
  childrenNamed,
  descendants,
  escapeXml,
  insertBefore,
  parseXml,
  prefixedAttr,
  qualifier,
  replaceElement,
} from './xml';
import type { Splice, XmlElement } from './xml';
import { entryText, findEntry, readZip, withEntry, writeZip, ZipError } from './zip';
import type { ZipEntry } from './zip';

export type OfficeKind = 'docx' | 'xlsx' | 'pptx';

export function officeKindOf(ext: string): OfficeKind | null {
  const e = ext.replace(/^\./, '').toLowerCase();
  return e === 'docx' || e === 'xlsx' || e === 'pptx' ? e : null;
}

function partText(entries: readonly ZipEntry[], name: string): string {
  const text = entryText(entries, name);
  if (text === null) throw new ZipError('bad-entry', `the package has no ${name}`);
  return text;
}

function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

interface Relationship {
  id: string;
  type: string;
  /** Part name inside the package. */
  target: string;
}

/** Internal relationships of `source` ('' for the package): OPC `<dir>/_rels/<file>.rels`. */
function relationshipsOf(entries: readonly ZipEntry[], source: string): Relationship[] {
  const slash = source.lastIndexOf('/');
  const dir = slash >= 0 ? source.slice(0, slash) : '';
  const relsName = `${dir ? `${dir}/` : ''}_rels/${source.slice(slash + 1)}.rels`;
  const rels = findEntry(entries, relsName);
  if (!rels) return [];
  const root = parseXml(rels.data.toString('utf8'), relsName);
  return childrenNamed(root, 'Relationship').flatMap((r) => {
    const target = r.attrs['Target'];
    if (!target || r.attrs['TargetMode'] === 'External') return [];
    const path = target.startsWith('/') ? target.slice(1) : `${dir ? `${dir}/` : ''}${target}`;
    return [{ id: r.attrs['Id'] ?? '', type: r.attrs['Type'] ?? '', target: normalizePath(path) }];
  });
}

/** Target of relationship `rId` of `source`. */
function relationshipTarget(entries: readonly ZipEntry[], source: string, rId: string): string | null {
  return relationshipsOf(entries, source).find((r) => r.id === rId)?.target ?? null;
}

/** The package's main part (Transitional and Strict relationship types both end this way). */
function officeDocument(entries: readonly ZipEntry[]): string | null {
  return relationshipsOf(entries, '').find((r) => r.type.endsWith('/officeDocument'))?.target ?? null;
}

export function mainDocumentPart(entries: readonly ZipEntry[]): string {
  return officeDocument(entries) ?? 'word/document.xml';
}

export function firstSheetPart(entries: readonly ZipEntry[]): string {
  const workbookName = officeDocument(entries) ?? 'xl/workbook.xml';
  const workbook = parseXml(partText(entries, workbookName), workbookName);
  const sheets = childrenNamed(child(workbook, 'sheets') ?? workbook, 'sheet');
  // The first sheet Excel shows: hidden ones are skipped when there is a visible one.
  const sheet = sheets.find((s) => (s.attrs['state'] ?? 'visible') === 'visible') ?? sheets[0];
  const rId = sheet && prefixedAttr(sheet, 'id');
  return (rId && relationshipTarget(entries, workbookName, rId)) || 'xl/worksheets/sheet1.xml';
}

export function firstSlidePart(entries: readonly ZipEntry[]): string {
  const presentationName = officeDocument(entries) ?? 'ppt/presentation.xml';
  const presentation = parseXml(partText(entries, presentationName), presentationName);
  const slide = child(presentation, 'sldIdLst')?.children.find((c) => c.local === 'sldId');
  const rId = slide && prefixedAttr(slide, 'id');
  return (rId && relationshipTarget(entries, presentationName, rId)) || 'ppt/slides/slide1.xml';
}

/** The part's root, which must be `local`; paragraph and row contents are left unparsed. */
function rootNamed(xml: string, what: string, local: string): XmlElement {
  const root = parseXml(xml, what, { shallow: true });
  if (root.local !== local) throw new ZipError('bad-entry', `${what} has <${root.name}>, not <${local}>`);
  return root;
}

/** Adds a paragraph at the end of the body, before the body-level section properties. */
export function addParagraph(documentXml: string, text: string, part = 'the main document part'): string {
  const doc = rootNamed(documentXml, part, 'document');
  const body = child(doc, 'body');
  if (!body) throw new ZipError('bad-entry', `${part} has no <w:body>`);
  const w = qualifier(body);
  const p = `<${w}p><${w}r><${w}t xml:space="preserve">${escapeXml(text)}</${w}t></${w}r></${w}p>`;
  // The body's sectPr must stay its last child (one inside a paragraph is not the body's).
  const last = body.children.at(-1);
  const splice = last?.local === 'sectPr' ? insertBefore(last, p) : appendInside(documentXml, body, p);
  return applySplices(documentXml, [splice]);
}

/** Appends a row with an inline-string cell in column A (no shared-strings bookkeeping needed). */
export function addRow(sheetXml: string, text: string, part = 'the worksheet'): string {
  const sheet = rootNamed(sheetXml, part, 'worksheet');
  const sheetData = child(sheet, 'sheetData');
  if (!sheetData) throw new ZipError('bad-entry', `${part} has no <sheetData>`);
  // A row without r is the one after the previous row.
  let last = 0;
  let highest = 0;
  for (const row of childrenNamed(sheetData, 'row')) {
    const r = Number(row.attrs['r']);
    last = Number.isInteger(r) && r > 0 ? r : last + 1;
    highest = Math.max(highest, last);
  }
  const n = highest + 1;
  const x = qualifier(sheetData);
  const row =
    `<${x}row r="${n}"><${x}c r="A${n}" t="inlineStr"><${x}is>` +
    `<${x}t xml:space="preserve">${escapeXml(text)}</${x}t></${x}is></${x}c></${x}row>`;
  const splices: Splice[] = [appendInside(sheetXml, sheetData, row)];
  // Keep the used-range hint truthful: it now reaches column A and row n.
  const dimension = child(sheet, 'dimension');
  const ref = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(dimension?.attrs['ref'] ?? '');
  if (dimension && ref) {
    const lastCol = ref[3] ?? ref[1]!;
    const attrs = { ...dimension.attrs, ref: `A${ref[2]!}:${lastCol}${n}` };
    const written = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`);
    splices.push(replaceElement(dimension, `<${dimension.name}${written.join('')}/>`));
  }
  return applySplices(sheetXml, splices);
}

const DRAWINGML = [
  'http://schemas.openxmlformats.org/drawingml/2006/main',
  'http://purl.oclc.org/ooxml/drawingml/main',
];

/** Adds a text box shape to a slide's shape tree, with an id unused on that slide. */
export function addTextBox(slideXml: string, text: string, part = 'the slide'): string {
  const slide = parseXml(slideXml, part);
  const tree = child(child(slide, 'cSld') ?? slide, 'spTree');
  if (!tree) throw new ZipError('bad-entry', `${part} has no <p:spTree>`);
  // Drawing ids are unique across the slide, whatever kind of object carries them.
  const ids = descendants(slide, 'cNvPr')
    .map((c) => Number(c.attrs['id']))
    .filter(Number.isFinite);
  const id = (ids.length ? Math.max(...ids) : 1) + 1;
  const p = qualifier(tree);
  // DrawingML under whatever prefix the slide bound it to; declared on the shape if it has none.
  const bound = [...tree.scope].find(([, uri]) => DRAWINGML.includes(uri))?.[0];
  const declare = bound === undefined ? ` xmlns:a="${DRAWINGML[0]!}"` : '';
  const a = bound ?? 'a';
  const aq = a ? `${a}:` : '';
  const shape =
    `<${p}sp${declare}><${p}nvSpPr><${p}cNvPr id="${id}" name="Workbench edit ${id}"/><${p}cNvSpPr txBox="1"/><${p}nvPr/></${p}nvSpPr>` +
    `<${p}spPr><${aq}xfrm><${aq}off x="457200" y="5943600"/><${aq}ext cx="8229600" cy="457200"/></${aq}xfrm>` +
    `<${aq}prstGeom prst="rect"><${aq}avLst/></${aq}prstGeom></${p}spPr>` +
    `<${p}txBody><${aq}bodyPr wrap="square"/><${aq}lstStyle/><${aq}p><${aq}r><${aq}rPr lang="en-US" dirty="0"/>` +
    `<${aq}t>${escapeXml(text)}</${aq}t></${aq}r></${aq}p></${p}txBody></${p}sp>`;
  return applySplices(slideXml, [appendInside(slideXml, tree, shape)]);
}

export interface OfficeEdit {
  bytes: Buffer;
  /** The part that now holds `text`. */
  part: string;
}

function mainPartOf(kind: OfficeKind, entries: readonly ZipEntry[]): string {
  if (kind === 'docx') return mainDocumentPart(entries);
  return kind === 'xlsx' ? firstSheetPart(entries) : firstSlidePart(entries);
}

/** Reads the package, makes the visible edit for its kind, and writes a new package. */
export function editOfficeFile(kind: OfficeKind, bytes: Buffer, text: string, modified?: Date): OfficeEdit {
  const entries = readZip(bytes);
  const name = mainPartOf(kind, entries);
  const xml = partText(entries, name);
  const edited =
    kind === 'docx'
      ? addParagraph(xml, text, name)
      : kind === 'xlsx'
        ? addRow(xml, text, name)
        : addTextBox(xml, text, name);
  const out = writeZip(withEntry(entries, name, Buffer.from(edited, 'utf8')), modified ? { modified } : {});
  return { bytes: out, part: name };
}

export interface OfficeSummary {
  kind: OfficeKind;
  parts: string[];
  mainPart: string;
  /** Visible text, paragraphs/cells/runs on their own lines, cut at `maxChars`. */
  text: string;
}

/** Text of the `t` elements under `el`, leaving out nested paragraphs and phonetic hints. */
function runText(el: XmlElement): string {
  let out = '';
  for (const c of el.children) {
    if (c.local === 't') out += c.text;
    else if (c.local !== 'p' && c.local !== 'rPh') out += runText(c);
  }
  return out;
}

/** One line per paragraph (w:p, a:p) in `el`, nested ones (text boxes) after the one holding them. */
function paragraphLines(el: XmlElement, out: string[] = []): string[] {
  if (el.local === 'p') out.push(runText(el));
  for (const c of el.children) paragraphLines(c, out);
  return out;
}

function cellLines(row: XmlElement, shared: readonly string[]): string[] {
  return descendants(row, 'c').map((c) => {
    const type = c.attrs['t'];
    const value = child(c, 'v')?.text ?? '';
    const shown =
      type === 's'
        ? (shared[Number(value)] ?? '')
        : type === 'inlineStr'
          ? runText(child(c, 'is') ?? c)
          : value;
    return shown ? `${c.attrs['r'] ?? '?'}: ${shown}` : '';
  });
}

/**
 * Lines of the first blocks (body paragraphs and tables, sheet rows) of a part: the part is read
 * shallowly and each block parsed on its own until there is enough text, so a long document costs
 * little more than its first page. Display only, hence the lenient read without a validation pass.
 */
function firstLines(
  xml: string,
  what: string,
  container: string,
  linesOf: (block: XmlElement) => string[],
  maxChars: number,
): string[] {
  const root = parseXml(xml, what, { validate: false, shallow: true });
  const out: string[] = [];
  let size = 0;
  for (const block of child(root, container)?.children ?? []) {
    if (size > maxChars) break;
    for (const line of linesOf(parseXml(xml.slice(block.start, block.end), what, { validate: false }))) {
      out.push(line);
      size += line.length + 1;
    }
  }
  return out;
}

function sharedStrings(entries: readonly ZipEntry[]): string[] {
  const workbook = officeDocument(entries) ?? 'xl/workbook.xml';
  const name =
    relationshipsOf(entries, workbook).find((r) => r.type.endsWith('/sharedStrings'))?.target ??
    'xl/sharedStrings.xml';
  const sst = findEntry(entries, name);
  if (!sst) return [];
  return childrenNamed(parseXml(sst.data.toString('utf8'), sst.name, { validate: false }), 'si').map(runText);
}

/** What the simulator shows for an Office file in its action page (it does not render documents). */
export function summarizeOfficeFile(kind: OfficeKind, bytes: Buffer, maxChars = 4000): OfficeSummary {
  const entries = readZip(bytes);
  const mainPart = mainPartOf(kind, entries);
  const xml = partText(entries, mainPart);
  let lines: string[];
  if (kind === 'docx') {
    lines = firstLines(xml, mainPart, 'body', (block) => paragraphLines(block), maxChars);
  } else if (kind === 'xlsx') {
    const shared = sharedStrings(entries);
    lines = firstLines(xml, mainPart, 'sheetData', (row) => cellLines(row, shared), maxChars);
  } else {
    lines = paragraphLines(parseXml(xml, mainPart, { validate: false }));
  }
  const text = lines.filter((l) => l.trim() !== '').join('\n');
  return {
    kind,
    parts: entries.map((e) => e.name),
    mainPart,
    text: text.length > maxChars ? `${text.slice(0, maxChars)}…` : text,
  };
}
