// Built-in WOPI client profiles: where discovery comes from and how strictly proofs are checked.
// Resolution never guesses: a missing or wrong setting is a typed error naming it and the fix.
import type { ClientProfileView, ProofMode } from '../contracts/api';

export const OFFICE_DISCOVERY_URL = 'https://onenote.officeapps.live.com/hosting/discovery';
export const OFFICE_TEST_DISCOVERY_URL = 'https://ffc-onenote.officeapps.live.com/hosting/discovery';

type ProfileKind = ClientProfileView['kind'];

interface ProfileTemplate {
  id: string;
  name: string;
  kind: ProfileKind;
  /** Fixed URL, or how the URL is supplied. */
  discovery: { fixed: string } | { from: 'server-url' | 'file-path' | 'simulator' | 'url' };
  proofMode: ProofMode;
  requiresHttps: boolean;
}

const TEMPLATES: readonly ProfileTemplate[] = [
  {
    id: 'office',
    name: 'Office for the web (production)',
    kind: 'office',
    discovery: { fixed: OFFICE_DISCOVERY_URL },
    proofMode: 'enforce',
    // Production only calls HTTPS WOPI endpoints on an allow-listed domain (PROTOCOL.md §9.1).
    requiresHttps: true,
  },
  {
    id: 'office-test',
    name: 'Office for the web (test / dogfood)',
    kind: 'office-test',
    discovery: { fixed: OFFICE_TEST_DISCOVERY_URL },
    proofMode: 'enforce',
    requiresHttps: false,
  },
  {
    id: 'collabora',
    name: 'Collabora Online',
    kind: 'collabora',
    discovery: { from: 'server-url' },
    // Collabora signs requests, but setups behind proxies often break proofs; report first.
    proofMode: 'report',
    requiresHttps: false,
  },
  {
    id: 'onlyoffice',
    name: 'ONLYOFFICE Docs',
    kind: 'onlyoffice',
    discovery: { from: 'server-url' },
    proofMode: 'report',
    requiresHttps: false,
  },
  {
    id: 'file',
    name: 'Discovery file on disk',
    kind: 'file',
    discovery: { from: 'file-path' },
    proofMode: 'report',
    requiresHttps: false,
  },
  {
    id: 'simulator',
    name: 'Built-in simulated client',
    kind: 'simulator',
    discovery: { from: 'simulator' },
    // The default run must also answer unsigned callers (curl, Postman, the open-source validator,
    // which never signs): verify and report every proof, reject only with --proof enforce.
    proofMode: 'report',
    requiresHttps: false,
  },
  {
    id: 'custom',
    name: 'Custom discovery URL',
    kind: 'custom',
    discovery: { from: 'url' },
    proofMode: 'report',
    requiresHttps: false,
  },
];

export const PROFILE_IDS: readonly string[] = TEMPLATES.map((t) => t.id);

export type ProfileErrorCode = 'unknown-profile' | 'missing-setting' | 'invalid-setting';

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    readonly code: ProfileErrorCode,
    /** The setting to change (clientProfile, discoveryUrl, proofMode, simulatorUrl). */
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ProfileSettings {
  discoveryUrl?: string;
  proofMode?: ProofMode;
  /** The running simulator's discovery URL (supplied by the engine, not by people). */
  simulatorUrl?: string;
}

export type ProfileResult = { ok: true; profile: ClientProfileView } | { ok: false; error: ProfileError };

/** Every profile as the UI lists it; discoveryUrl is '' where a setting must supply it. */
export function listProfiles(): ClientProfileView[] {
  return TEMPLATES.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind,
    discoveryUrl: 'fixed' in t.discovery ? t.discovery.fixed : '',
    proofMode: t.proofMode,
    requiresHttps: t.requiresHttps,
  }));
}

export function resolveProfile(id: string, settings: ProfileSettings = {}): ProfileResult {
  const template = TEMPLATES.find((t) => t.id === id);
  if (!template) {
    return fail(
      'unknown-profile',
      'clientProfile',
      `Unknown client profile "${id}"; use one of: ${PROFILE_IDS.join(', ')}.`,
    );
  }
  const proofMode = settings.proofMode ?? template.proofMode;
  if (!['enforce', 'report', 'off'].includes(proofMode)) {
    return fail(
      'invalid-setting',
      'proofMode',
      `proofMode must be "enforce", "report" or "off"; got "${String(proofMode)}".`,
    );
  }
  const url = discoveryUrlFor(template, settings);
  if (!url.ok) return url;
  return {
    ok: true,
    profile: {
      id: template.id,
      name: template.name,
      kind: template.kind,
      discoveryUrl: url.value,
      proofMode,
      requiresHttps: template.requiresHttps,
    },
  };
}

function discoveryUrlFor(
  t: ProfileTemplate,
  s: ProfileSettings,
): { ok: true; value: string } | { ok: false; error: ProfileError } {
  const given = s.discoveryUrl?.trim();
  if ('fixed' in t.discovery) {
    if (!given) return { ok: true, value: t.discovery.fixed };
    // A mirror or recorded copy is fine, but Office's own discovery is only served over HTTPS.
    const parsed = httpUrl(given);
    if (parsed?.protocol !== 'https:') {
      return fail(
        'invalid-setting',
        'discoveryUrl',
        `discoveryUrl for ${t.name} must be an https:// URL; got "${given}" (leave it unset to use ${t.discovery.fixed}).`,
      );
    }
    return { ok: true, value: given };
  }
  switch (t.discovery.from) {
    case 'server-url': {
      if (!given) {
        return fail(
          'missing-setting',
          'discoveryUrl',
          `${t.name} needs its server address: set discoveryUrl to e.g. http://localhost:${t.kind === 'collabora' ? '9980' : '8080'} (/hosting/discovery is added for you).`,
        );
      }
      const parsed = httpUrl(given);
      if (!parsed) {
        return fail(
          'invalid-setting',
          'discoveryUrl',
          `discoveryUrl "${given}" is not an http(s) URL; give the ${t.name} server address, e.g. http://localhost:9980.`,
        );
      }
      const path = parsed.pathname.replace(/\/+$/, '');
      return {
        ok: true,
        value: path.endsWith('/hosting/discovery')
          ? `${parsed.origin}${path}`
          : `${parsed.origin}${path}/hosting/discovery`,
      };
    }
    case 'file-path': {
      if (!given) {
        return fail(
          'missing-setting',
          'discoveryUrl',
          'The discovery-file profile needs a file: set discoveryUrl to the path of a saved discovery XML file.',
        );
      }
      if (/^https?:\/\//i.test(given)) {
        return fail(
          'invalid-setting',
          'discoveryUrl',
          `"${given}" is a web address; use the "custom" profile for URLs, or give a file path here.`,
        );
      }
      return { ok: true, value: given };
    }
    case 'simulator': {
      const sim = s.simulatorUrl?.trim();
      if (!sim || !httpUrl(sim)) {
        return fail(
          'missing-setting',
          'simulatorUrl',
          "The simulator profile needs the running simulator's discovery URL; start the simulator before resolving this profile.",
        );
      }
      return { ok: true, value: sim };
    }
    case 'url': {
      if (!given) {
        return fail(
          'missing-setting',
          'discoveryUrl',
          "The custom profile needs discoveryUrl: set it to the WOPI client's full discovery URL (usually ending in /hosting/discovery).",
        );
      }
      if (!httpUrl(given)) {
        return fail(
          'invalid-setting',
          'discoveryUrl',
          `discoveryUrl "${given}" is not an http(s) URL; for a file on disk use the "file" profile.`,
        );
      }
      return { ok: true, value: given };
    }
  }
}

function httpUrl(text: string): URL | null {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

function fail(code: ProfileErrorCode, setting: string, message: string): { ok: false; error: ProfileError } {
  return { ok: false, error: new ProfileError(code, setting, message) };
}
