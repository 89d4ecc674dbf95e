// Discovery XML -> typed model (PROTOCOL.md §9.2). Structure only: key import lives in proof/,
// URL building in action-url.ts. The zone is chosen by preference, never hard-coded.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { DiscoveryActionView } from '../contracts/api';
import type { DiscoveryProofKeyAttributes } from '../proof/keys';

export interface DiscoveryAction {
  app: string;
  name: string;
  /** Lower case, no dot; '' when the action is keyed by progid only. */
  ext: string;
  progid: string;
  requires: string[];
  isDefault: boolean;
  /** Entity-decoded, placeholders still in (see action-url.ts). */
  urlsrc: string;
  newext?: string;
  targetext?: string;
}

export interface DiscoveryApp {
  name: string;
  favIconUrl: string | null;
  checkLicense: boolean;
  actions: DiscoveryAction[];
}

export interface DiscoveryZone {
  name: string;
  apps: DiscoveryApp[];
}

export interface Discovery {
  zones: DiscoveryZone[];
  /** The zone this host uses (see chooseZone). */
  zone: DiscoveryZone;
  proofKey: DiscoveryProofKeyAttributes | null;
}

export type DiscoveryParseErrorCode = 'not-xml' | 'no-discovery-root' | 'no-net-zone' | 'no-actions';

export class DiscoveryParseError extends Error {
  override readonly name = 'DiscoveryParseError';
  constructor(
    readonly code: DiscoveryParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type XmlNode = Record<string, unknown>;

const REPEATED = new Set(['net-zone', 'app', 'action']);
const ATTR = '@_';

export function parseDiscovery(xml: string): Discovery {
  const text = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new DiscoveryParseError(
      'not-xml',
      `The response is not well-formed XML (line ${line}, column ${col}: ${msg}); check that the URL serves the WOPI client's /hosting/discovery.`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseAttributeValue: false,
    parseTagValue: false,
    isArray: (tagName: string) => REPEATED.has(tagName),
  });
  const doc = parser.parse(text) as XmlNode;
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (rootName !== 'wopi-discovery') {
    throw new DiscoveryParseError(
      'no-discovery-root',
      rootName?.toLowerCase() === 'html'
        ? 'The response is an HTML page, not WOPI discovery; check the discovery URL (it usually ends in /hosting/discovery).'
        : `The XML root is <${rootName ?? 'nothing'}>, not <wopi-discovery>, so this URL does not serve WOPI discovery.`,
    );
  }
  const root = asNode(doc[rootName]);
  const zones = list(root['net-zone']).map(parseZone);
  if (zones.length === 0) {
    throw new DiscoveryParseError(
      'no-net-zone',
      'Discovery has no <net-zone>, so it offers no actions to open files with.',
    );
  }
  const zone = chooseZone(zones);
  if (!zone) {
    throw new DiscoveryParseError(
      'no-actions',
      'Discovery has no <action> in any net-zone, so no file can be opened.',
    );
  }
  return { zones, zone, proofKey: parseProofKey(root['proof-key']) };
}

const ZONE_PREFERENCE = ['external-https', 'internal-https'];

/**
 * Prefer external-https, then internal-https, then any other https zone, then whatever exists;
 * zones without actions are passed over. Null when no zone has an action.
 */
export function chooseZone(zones: readonly DiscoveryZone[]): DiscoveryZone | null {
  const usable = zones.filter((z) => z.apps.some((a) => a.actions.length > 0));
  const rank = (z: DiscoveryZone): number => {
    const name = z.name.toLowerCase();
    const preferred = ZONE_PREFERENCE.indexOf(name);
    if (preferred >= 0) return preferred;
    return name.includes('https') ? ZONE_PREFERENCE.length : ZONE_PREFERENCE.length + 1;
  };
  return [...usable].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

export function actionsOf(zone: DiscoveryZone): DiscoveryAction[] {
  return zone.apps.flatMap((a) => a.actions);
}

export function toActionViews(zone: DiscoveryZone): DiscoveryActionView[] {
  return actionsOf(zone).map((a) => ({
    app: a.app,
    name: a.name,
    ext: a.ext,
    requires: a.requires,
    isDefault: a.isDefault,
    urlsrc: a.urlsrc,
  }));
}

function parseZone(node: unknown): DiscoveryZone {
  const zone = asNode(node);
  return { name: attr(zone, 'name'), apps: list(zone['app']).map(parseApp) };
}

function parseApp(node: unknown): DiscoveryApp {
  const app = asNode(node);
  const name = attr(app, 'name');
  return {
    name,
    favIconUrl: attr(app, 'favIconUrl') || null,
    checkLicense: attr(app, 'checkLicense').toLowerCase() === 'true',
    actions: list(app['action']).map((a) => parseAction(name, asNode(a))),
  };
}

function parseAction(app: string, action: XmlNode): DiscoveryAction {
  const out: DiscoveryAction = {
    app,
    name: attr(action, 'name'),
    ext: attr(action, 'ext').replace(/^\./, '').toLowerCase(),
    progid: attr(action, 'progid'),
    requires: attr(action, 'requires')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    isDefault: attr(action, 'default').toLowerCase() === 'true',
    urlsrc: attr(action, 'urlsrc'),
  };
  const newext = attr(action, 'newext');
  const targetext = attr(action, 'targetext');
  if (newext) out.newext = newext;
  if (targetext) out.targetext = targetext;
  return out;
}

function parseProofKey(node: unknown): DiscoveryProofKeyAttributes | null {
  const first = Array.isArray(node) ? (node as unknown[])[0] : node;
  if (first === undefined) return null;
  const pk = asNode(first);
  return {
    value: attr(pk, 'value'),
    modulus: attr(pk, 'modulus'),
    exponent: attr(pk, 'exponent'),
    oldvalue: attr(pk, 'oldvalue'),
    oldmodulus: attr(pk, 'oldmodulus'),
    oldexponent: attr(pk, 'oldexponent'),
  };
}

function asNode(value: unknown): XmlNode {
  // Elements with no attributes or children come back as '' from the parser.
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function attr(node: XmlNode, name: string): string {
  const value = node[ATTR + name];
  return typeof value === 'string' ? value.trim() : '';
}
