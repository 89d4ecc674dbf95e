// Reading OOXML parts with fast-xml-parser: XMLValidator decides well-formedness (the parser alone
// accepts unclosed or mismatched tags), the parser builds the tree, and every element keeps its
// source offsets (captureMetaData) so an edit can splice new markup into the original text and
// leave every other byte of the part as it was. Namespace declarations are tracked here (which
// prefix means DrawingML on a slide), because fast-xml-parser keeps qualified names only.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  /** The name as written, e.g. "w:body". */
  name: string;
  /** '' when the name has no prefix. */
  prefix: string;
  local: string;
  /** Attribute values, entity-decoded, by name as written ("r:id", "xml:space"). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside (CDATA included), entity-decoded. */
  text: string;
  /** Offset of its `<` in the source text. */
  start: number;
  /** Offset just past its end tag (or past `/>`). */
  end: number;
  /** Prefix → namespace URI bindings in scope on this element ('' is the default namespace). */
  scope: ReadonlyMap<string, string>;
}

export class XmlPartError extends Error {
  override readonly name = 'XmlPartError';
}

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Also decodes numeric character references (&#38;), which the XML entities alone leave as is.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  captureMetaData: true,
  // Nested tables and text boxes go deeper than the default 100 in real documents.
  maxNestedTags: 1000,
} as const;
const parser = new XMLParser(OPTIONS);
// Elements three levels down (a paragraph in document/body, a row in worksheet/sheetData) are
// kept whole as raw text: an edit that only needs the body's or sheetData's children skips
// parsing the content, which is where the time goes on a large part.
const shallowParser = new XMLParser({ ...OPTIONS, stopNodes: ['*.*.*'] });
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const ATTRS = ':@';
const TEXT = '#text';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

type RawNode = Record<string | symbol, unknown>;

function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function convert(
  nodes: unknown,
  scope: ReadonlyMap<string, string>,
  shift: number,
): { children: XmlElement[]; text: string } {
  const children: XmlElement[] = [];
  let text = '';
  if (!Array.isArray(nodes)) return { children, text };
  for (const node of nodes as RawNode[]) {
    const name = Object.keys(node).find((k) => k !== ATTRS);
    if (name === undefined) continue;
    if (name === TEXT) {
      const value = node[TEXT];
      if (typeof value === 'string') text += value;
      continue;
    }
    const attrs = stringRecord(node[ATTRS]);
    let inScope = scope;
    for (const [k, v] of Object.entries(attrs)) {
      if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
      if (inScope === scope) inScope = new Map(scope);
      (inScope as Map<string, string>).set(k === 'xmlns' ? '' : k.slice(6), v);
    }
    const meta = node[META] as { startIndex?: number; endIndex?: number } | undefined;
    // Only the unvalidated (lenient) read can get here, for an element never closed.
    if (meta?.startIndex === undefined || meta.endIndex === undefined)
      throw new XmlPartError(`<${name}> is not closed`);
    const [prefix, local] = splitName(name);
    const inner = convert(node[name], inScope, shift);
    children.push({
      name,
      prefix,
      local,
      attrs,
      children: inner.children,
      text: inner.text,
      start: meta.startIndex + shift,
      end: meta.endIndex + shift,
      scope: inScope,
    });
  }
  return { children, text };
}

export interface ParseOptions {
  /**
   * Check well-formedness first (default). Reads that only display text may skip it: the parser
   * alone is lenient and the check costs about as much as parsing.
   */
  validate?: boolean;
  /** Keep the root's grandchildren unparsed (their content becomes `text`, raw). */
  shallow?: boolean;
}

/** The root element of a part; `what` names it in errors ("word/document.xml"). */
export function parseXml(xml: string, what: string, opts: ParseOptions = {}): XmlElement {
  // A byte-order mark is allowed before the declaration; offsets stay those of `xml`.
  const shift = xml.startsWith('\uFEFF') ? 1 : 0;
  const body = shift ? xml.slice(shift) : xml;
  if (opts.validate !== false) {
    const valid = XMLValidator.validate(body);
    if (valid !== true) {
      const { msg, line, col } = valid.err;
      throw new XmlPartError(`${what} is not well-formed XML (line ${line}, column ${col}): ${msg}`);
    }
  }
  let root: XmlElement | undefined;
  try {
    const nodes: unknown = (opts.shallow ? shallowParser : parser).parse(body);
    root = convert(nodes, new Map([['xml', XML_NS]]), shift).children[0];
  } catch (err) {
    throw new XmlPartError(`${what} cannot be read: ${(err as Error).message}`);
  }
  if (!root) throw new XmlPartError(`${what} has no root element`);
  return root;
}

export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

export function childrenNamed(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.local === local);
}

/** Every element below `el` with this local name, in document order. */
export function descendants(el: XmlElement, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.local === local) out.push(c);
    descendants(c, local, out);
  }
  return out;
}

/** A prefixed attribute by local name whatever its prefix (`r:id`, `rel:id`). */
export function prefixedAttr(el: XmlElement, local: string): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) {
    const [prefix, name] = splitName(k);
    if (prefix && prefix !== 'xmlns' && name === local) return v;
  }
  return undefined;
}

/** `prefix:` for a name in `el`'s namespace ('' in the default namespace). */
export function qualifier(el: XmlElement): string {
  return el.prefix ? `${el.prefix}:` : '';
}

export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Inserts `markup` as the last content of `el`, opening a self-closed `<x/>` if needed. */
export function appendInside(xml: string, el: XmlElement, markup: string): Splice {
  if (xml.startsWith('/>', el.end - 2)) {
    return { start: el.end - 2, end: el.end, text: `>${markup}</${el.name}>` };
  }
  // The end tag is the last `</` of the element: nothing inside an end tag can contain `<`.
  const at = xml.lastIndexOf('</', el.end - 1);
  return { start: at, end: at, text: markup };
}

export function insertBefore(el: XmlElement, markup: string): Splice {
  return { start: el.start, end: el.start, text: markup };
}

export function replaceElement(el: XmlElement, markup: string): Splice {
  return { start: el.start, end: el.end, text: markup };
}

/** Applies non-overlapping splices (any order) to the source text. */
export function applySplices(xml: string, splices: readonly Splice[]): string {
  let out = xml;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
  }
  return out;
}

// Characters XML 1.0 cannot carry at all, not even as a character reference.
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text safe in element content and in quoted attribute values: markup characters and the
 * whitespace an attribute would normalise become character references; characters XML cannot
 * hold become U+FFFD.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[<>&"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
