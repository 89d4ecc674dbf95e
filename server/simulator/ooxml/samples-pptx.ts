// The parts of a minimal presentation PowerPoint accepts: presentation, one master with one
// blank layout, a theme (colour, font and format schemes are required), and the slide itself.
import { escapeXml } from './xml';
import { DOC_REL, relationships, xmlEntry } from './opc';
import type { ZipEntry } from './zip';

const NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  `xmlns:r="${DOC_REL}" ` +
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';

const GROUP =
  '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
  '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>';

const COLOURS: Array<[string, string]> = [
  ['dk2', '1F497D'],
  ['lt2', 'EEECE1'],
  ['accent1', '4F81BD'],
  ['accent2', 'C0504D'],
  ['accent3', '9BBB59'],
  ['accent4', '8064A2'],
  ['accent5', '4BACC6'],
  ['accent6', 'F79646'],
  ['hlink', '0000FF'],
  ['folHlink', '800080'],
];

function theme(): string {
  const colours = COLOURS.map(([n, v]) => `<a:${n}><a:srgbClr val="${v}"/></a:${n}>`).join('');
  const font = (face: string): string =>
    `<a:latin typeface="${face}"/><a:ea typeface=""/><a:cs typeface=""/>`;
  const solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>';
  const line = (w: number): string =>
    `<a:ln w="${w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/></a:ln>`;
  return (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Workbench">' +
    '<a:themeElements>' +
    '<a:clrScheme name="Workbench"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>' +
    `<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>${colours}</a:clrScheme>` +
    `<a:fontScheme name="Workbench"><a:majorFont>${font('Calibri')}</a:majorFont><a:minorFont>${font('Calibri')}</a:minorFont></a:fontScheme>` +
    '<a:fmtScheme name="Workbench">' +
    `<a:fillStyleLst>${solid}${solid}${solid}</a:fillStyleLst>` +
    `<a:lnStyleLst>${line(9525)}${line(25400)}${line(38100)}</a:lnStyleLst>` +
    '<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>' +
    '<a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>' +
    `<a:bgFillStyleLst>${solid}${solid}${solid}</a:bgFillStyleLst>` +
    '</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>'
  );
}

function textStyle(tag: string, size: number, face: string): string {
  return (
    `<p:${tag}><a:lvl1pPr><a:defRPr sz="${size}"><a:solidFill><a:schemeClr val="tx1"/></a:solidFill>` +
    `<a:latin typeface="${face}"/></a:defRPr></a:lvl1pPr></p:${tag}>`
  );
}

function master(): string {
  return (
    `<p:sldMaster ${NS}><p:cSld><p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg1"/></a:solidFill><a:effectLst/></p:bgPr></p:bg>` +
    `<p:spTree>${GROUP}</p:spTree></p:cSld>` +
    '<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" ' +
    'accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>' +
    '<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst>' +
    `<p:txStyles>${textStyle('titleStyle', 4400, '+mj-lt')}${textStyle('bodyStyle', 2800, '+mn-lt')}${textStyle('otherStyle', 1800, '+mn-lt')}</p:txStyles>` +
    '</p:sldMaster>'
  );
}

function textBox(id: number, name: string, y: number, height: number, paragraphs: string): string {
  return (
    `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${name}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>` +
    `<p:spPr><a:xfrm><a:off x="457200" y="${y}"/><a:ext cx="8229600" cy="${height}"/></a:xfrm>` +
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>' +
    `<p:txBody><a:bodyPr wrap="square"/><a:lstStyle/>${paragraphs}</p:txBody></p:sp>`
  );
}

function slide(title: string, lines: readonly string[]): string {
  const run = (text: string, size: number, bold: boolean): string =>
    `<a:p><a:r><a:rPr lang="en-US" sz="${size}"${bold ? ' b="1"' : ''} dirty="0"/><a:t>${escapeXml(text)}</a:t></a:r></a:p>`;
  const shapes =
    textBox(2, 'Title', 457200, 1143000, run(title, 4000, true)) +
    (lines.length
      ? textBox(3, 'Body', 1828800, 3429000, lines.map((l) => run(l, 2400, false)).join(''))
      : '');
  return `<p:sld ${NS}><p:cSld><p:spTree>${GROUP}${shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`;
}

export interface PresentationParts {
  /** [part name, content type after "application/vnd.openxmlformats-officedocument."]. */
  overrides: Array<[string, string]>;
  entries: ZipEntry[];
}

export function presentationParts(title: string, lines: readonly string[]): PresentationParts {
  return {
    overrides: [
      ['/ppt/presentation.xml', 'presentationml.presentation.main+xml'],
      ['/ppt/slideMasters/slideMaster1.xml', 'presentationml.slideMaster+xml'],
      ['/ppt/slideLayouts/slideLayout1.xml', 'presentationml.slideLayout+xml'],
      ['/ppt/slides/slide1.xml', 'presentationml.slide+xml'],
      ['/ppt/theme/theme1.xml', 'theme+xml'],
    ],
    entries: [
      xmlEntry(
        'ppt/presentation.xml',
        `<p:presentation ${NS} saveSubsetFonts="1">` +
          '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>' +
          '<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>' +
          '<p:sldSz cx="9144000" cy="6858000" type="screen4x3"/><p:notesSz cx="6858000" cy="9144000"/>' +
          '</p:presentation>',
      ),
      relationships('ppt/_rels/presentation.xml.rels', [
        ['rId1', `${DOC_REL}/slideMaster`, 'slideMasters/slideMaster1.xml'],
        ['rId2', `${DOC_REL}/slide`, 'slides/slide1.xml'],
        ['rId3', `${DOC_REL}/theme`, 'theme/theme1.xml'],
      ]),
      xmlEntry('ppt/slideMasters/slideMaster1.xml', master()),
      relationships('ppt/slideMasters/_rels/slideMaster1.xml.rels', [
        ['rId1', `${DOC_REL}/slideLayout`, '../slideLayouts/slideLayout1.xml'],
        ['rId2', `${DOC_REL}/theme`, '../theme/theme1.xml'],
      ]),
      xmlEntry(
        'ppt/slideLayouts/slideLayout1.xml',
        `<p:sldLayout ${NS} type="blank" preserve="1"><p:cSld name="Blank"><p:spTree>${GROUP}</p:spTree></p:cSld>` +
          '<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>',
      ),
      relationships('ppt/slideLayouts/_rels/slideLayout1.xml.rels', [
        ['rId1', `${DOC_REL}/slideMaster`, '../slideMasters/slideMaster1.xml'],
      ]),
      xmlEntry('ppt/slides/slide1.xml', slide(title, lines)),
      relationships('ppt/slides/_rels/slide1.xml.rels', [
        ['rId1', `${DOC_REL}/slideLayout`, '../slideLayouts/slideLayout1.xml'],
      ]),
      xmlEntry('ppt/theme/theme1.xml', theme()),
    ],
  };
}
