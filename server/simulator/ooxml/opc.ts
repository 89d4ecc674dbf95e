// Open Packaging Conventions pieces every Office package needs: XML parts with the standard
// declaration, [Content_Types].xml and relationship parts.
import type { ZipEntry } from './zip';

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
export const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const CT = 'application/vnd.openxmlformats-officedocument';

export function xmlEntry(name: string, xml: string): ZipEntry {
  return { name, data: Buffer.from(XML_HEAD + xml, 'utf8') };
}

export function contentTypes(overrides: Array<[part: string, type: string]>): ZipEntry {
  const rows = overrides.map(([p, t]) => `<Override PartName="${p}" ContentType="${t}"/>`).join('');
  return xmlEntry(
    '[Content_Types].xml',
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      rows +
      `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
      `<Override PartName="/docProps/app.xml" ContentType="${CT}.extended-properties+xml"/>` +
      '</Types>',
  );
}

export function relationships(
  name: string,
  rels: Array<[id: string, type: string, target: string]>,
): ZipEntry {
  const rows = rels
    .map(([id, type, target]) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`)
    .join('');
  return xmlEntry(name, `<Relationships xmlns="${PKG_REL}">${rows}</Relationships>`);
}
