// Visible, schema-respecting edits to Office packages, so a simulated "edit" changes what Word,
// Excel or PowerPoint shows: a new paragraph (docx), a new row (xlsx), a new text box on the first
// slide (pptx). String surgery on the XML keeps every other byte of the part as it was.
import { readZip, withEntry, writeZip, ZipError } from './zip';
import type { ZipEntry } from './zip';

export type OfficeKind = 'docx' | 'xlsx' | 'pptx';

export function officeKindOf(ext: string): OfficeKind | null {
  const e = ext.replace(/^\./, '').toLowerCase();
  return e === 'docx' || e === 'xlsx' || e === 'pptx' ? e : null;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function part(entries: readonly ZipEntry[], name: string): string {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new ZipError('bad-entry', `the package has no ${name}`);
  return found.data.toString('utf8');
}

/** Target of relationship `rId` of `source` (OPC: `<dir>/_rels/<file>.rels`, targets relative to `<dir>`). */
export function relationshipTarget(entries: readonly ZipEntry[], source: string, rId: string): string | null {
  const slash = source.lastIndexOf('/');
  const dir = slash >= 0 ? source.slice(0, slash) : '';
  const relsName = `${dir ? `${dir}/` : ''}_rels/${source.slice(slash + 1)}.rels`;
  const rels = entries.find((e) => e.name === relsName)?.data.toString('utf8');
  if (!rels) return null;
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    if (attr(m[0], 'Id') !== rId) continue;
    const target = attr(m[0], 'Target');
    if (!target) return null;
    return normalizePath(target.startsWith('/') ? target.slice(1) : `${dir ? `${dir}/` : ''}${target}`);
  }
  return null;
}

/** Target of the first relationship of `source` whose Type ends with `typeSuffix`. */
function relationshipByType(
  entries: readonly ZipEntry[],
  relsName: string,
  typeSuffix: string,
): string | null {
  const rels = entries.find((e) => e.name === relsName)?.data.toString('utf8');
  if (!rels) return null;
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    if (attr(m[0], 'Type')?.endsWith(typeSuffix)) {
      const target = attr(m[0], 'Target') ?? '';
      return normalizePath(target.replace(/^\//, ''));
    }
  }
  return null;
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
}

function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop();
    else if (seg !== '.' && seg !== '') out.push(seg);
  }
  return out.join('/');
}

export function mainDocumentPart(entries: readonly ZipEntry[]): string {
  return relationshipByType(entries, '_rels/.rels', '/officeDocument') ?? 'word/document.xml';
}

export function firstSheetPart(entries: readonly ZipEntry[]): string {
  const workbookName = relationshipByType(entries, '_rels/.rels', '/officeDocument') ?? 'xl/workbook.xml';
  const workbook = part(entries, workbookName);
  const sheet = /<(?:\w+:)?sheet\b[^>]*>/.exec(workbook)?.[0];
  const rId = sheet ? /\s\w+:id\s*=\s*"([^"]*)"/.exec(sheet)?.[1] : undefined;
  return (rId && relationshipTarget(entries, workbookName, rId)) ?? 'xl/worksheets/sheet1.xml';
}

export function firstSlidePart(entries: readonly ZipEntry[]): string {
  const presentationName =
    relationshipByType(entries, '_rels/.rels', '/officeDocument') ?? 'ppt/presentation.xml';
  const presentation = part(entries, presentationName);
  const slide = /<(?:\w+:)?sldId\b[^>]*>/.exec(presentation)?.[0];
  const rId = slide ? /\s\w+:id\s*=\s*"([^"]*)"/.exec(slide)?.[1] : undefined;
  return (rId && relationshipTarget(entries, presentationName, rId)) ?? 'ppt/slides/slide1.xml';
}

/** Adds a paragraph at the end of the body, before the body-level section properties. */
export function addParagraph(documentXml: string, text: string): string {
  const prefix = /<(\w+):body\b/.exec(documentXml)?.[1] ?? 'w';
  const bodyEnd = documentXml.lastIndexOf(`</${prefix}:body>`);
  if (bodyEnd < 0) throw new ZipError('bad-entry', 'word/document.xml has no </w:body>');
  const p = `<${prefix}:p><${prefix}:r><${prefix}:t xml:space="preserve">${escapeXml(text)}</${prefix}:t></${prefix}:r></${prefix}:p>`;
  // The body's sectPr must stay its last child; one nested in a paragraph ends before it.
  const sectAt = documentXml.lastIndexOf(`<${prefix}:sectPr`, bodyEnd);
  const tail = sectAt >= 0 ? documentXml.slice(sectAt, bodyEnd).trimEnd() : '';
  const isBodySect =
    sectAt >= 0 &&
    (tail.endsWith(`</${prefix}:sectPr>`) || /^<\w+:sectPr\b[^>]*\/>$/.test(tail)) &&
    !tail.includes(`</${prefix}:p>`);
  const at = isBodySect ? sectAt : bodyEnd;
  return documentXml.slice(0, at) + p + documentXml.slice(at);
}

/** Appends a row with an inline-string cell in column A (no shared-strings bookkeeping needed). */
export function addRow(sheetXml: string, text: string): string {
  const rows = [...sheetXml.matchAll(/<row\b[^>]*\sr="(\d+)"/g)].map((m) => Number(m[1]));
  const n = (rows.length ? Math.max(...rows) : 0) + 1;
  const row = `<row r="${n}"><c r="A${n}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c></row>`;
  let out: string;
  if (/<sheetData\s*\/>/.test(sheetXml))
    out = sheetXml.replace(/<sheetData\s*\/>/, `<sheetData>${row}</sheetData>`);
  else if (sheetXml.includes('</sheetData>')) out = sheetXml.replace('</sheetData>', `${row}</sheetData>`);
  else throw new ZipError('bad-entry', 'the worksheet has no <sheetData>');
  // Keep the used-range hint truthful: extend its last row.
  return out.replace(
    /<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"\s*\/>/,
    (_m, c1: string, r1: string, c2?: string) => {
      const lastCol = c2 ?? c1;
      return `<dimension ref="${c1}${r1}:${lastCol}${n}"/>`;
    },
  );
}

/** Adds a text box shape to a slide's shape tree, with an id unused on that slide. */
export function addTextBox(slideXml: string, text: string): string {
  const end = slideXml.lastIndexOf('</p:spTree>');
  if (end < 0) throw new ZipError('bad-entry', 'the slide has no <p:spTree>');
  const ids = [...slideXml.matchAll(/<p:cNvPr\b[^>]*\sid="(\d+)"/g)].map((m) => Number(m[1]));
  const id = (ids.length ? Math.max(...ids) : 1) + 1;
  const shape =
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Workbench edit ${id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>` +
    '<p:spPr><a:xfrm><a:off x="457200" y="5943600"/><a:ext cx="8229600" cy="457200"/></a:xfrm>' +
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>' +
    '<p:txBody><a:bodyPr wrap="square"/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" dirty="0"/>' +
    `<a:t>${escapeXml(text)}</a:t></a:r></a:p></p:txBody></p:sp>`;
  return slideXml.slice(0, end) + shape + slideXml.slice(end);
}

export interface OfficeEdit {
  bytes: Buffer;
  /** The part that now holds `text`. */
  part: string;
}

/** Reads the package, makes the visible edit for its kind, and writes a new package. */
export function editOfficeFile(kind: OfficeKind, bytes: Buffer, text: string, modified?: Date): OfficeEdit {
  const entries = readZip(bytes);
  const name =
    kind === 'docx'
      ? mainDocumentPart(entries)
      : kind === 'xlsx'
        ? firstSheetPart(entries)
        : firstSlidePart(entries);
  const xml = part(entries, name);
  const edited =
    kind === 'docx' ? addParagraph(xml, text) : kind === 'xlsx' ? addRow(xml, text) : addTextBox(xml, text);
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

/** What the simulator shows for an Office file in its action page (it does not render documents). */
export function summarizeOfficeFile(kind: OfficeKind, bytes: Buffer, maxChars = 4000): OfficeSummary {
  const entries = readZip(bytes);
  const mainPart =
    kind === 'docx'
      ? mainDocumentPart(entries)
      : kind === 'xlsx'
        ? firstSheetPart(entries)
        : firstSlidePart(entries);
  const xml = part(entries, mainPart);
  let lines: string[];
  if (kind === 'docx') {
    lines = [...xml.matchAll(/<(\w+):p(?:\s[^>]*?)?(?<!\/)>([\s\S]*?)<\/\1:p>/g)].map((p) =>
      textRuns(p[2] ?? '', 't'),
    );
  } else if (kind === 'pptx') {
    lines = [...xml.matchAll(/<a:p(?:\s[^>]*?)?(?<!\/)>([\s\S]*?)<\/a:p>/g)].map((p) =>
      textRuns(p[1] ?? '', 't'),
    );
  } else {
    const shared = [
      ...(entries.find((e) => e.name === 'xl/sharedStrings.xml')?.data.toString('utf8') ?? '').matchAll(
        /<si\b[^>]*>([\s\S]*?)<\/si>/g,
      ),
    ].map((m) => textRuns(m[1] ?? '', 't'));
    lines = [...xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((c) =>
      cellText(c[1] ?? '', c[2] ?? '', shared),
    );
  }
  const text = lines.filter((l) => l.trim() !== '').join('\n');
  return {
    kind,
    parts: entries.map((e) => e.name),
    mainPart,
    text: text.length > maxChars ? `${text.slice(0, maxChars)}…` : text,
  };
}

function textRuns(xml: string, tag: string): string {
  return [...xml.matchAll(new RegExp(`<(?:\\w+:)?${tag}\\b[^>]*>([^<]*)</(?:\\w+:)?${tag}>`, 'g'))]
    .map((m) => unescapeXml(m[1] ?? ''))
    .join('');
}

function cellText(attrs: string, inner: string, shared: string[]): string {
  const ref = /\sr="([A-Z]+\d+)"/.exec(attrs)?.[1] ?? '?';
  const type = /\st="(\w+)"/.exec(attrs)?.[1];
  const value = unescapeXml(/<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? '');
  const shown =
    type === 's' ? (shared[Number(value)] ?? '') : type === 'inlineStr' ? textRuns(inner, 't') : value;
  return shown ? `${ref}: ${shown}` : '';
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e] ?? '';
  });
}
