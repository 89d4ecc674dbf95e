// urlsrc -> action URL (PROTOCOL.md §9.3). Optional parameters are `<name=PLACEHOLDER&>` groups:
// known placeholders are filled in (URL-encoded), everything else is removed whole, because
// Office adds placeholders at any time and leaving one in breaks the launch.
import type { Discovery, DiscoveryAction } from './parse';
import { actionsOf } from './parse';

export interface ActionUrlValues {
  /** The WOPISrc (the file's WOPI URL, no access token). */
  wopiSrc: string;
  /** RFC 1766 tag, e.g. en-US. */
  uiLlcc?: string;
  /** Defaults to uiLlcc, as the docs say. */
  dcLlcc?: string;
  sessionContext?: string;
  businessUser?: boolean;
  hostSessionId?: string;
  disableChat?: boolean;
  validatorTestCategory?: string;
}

const GROUP = /<([^<>=]*)=([^<>]*?)&?>/g;

function placeholderValues(v: ActionUrlValues): Record<string, string | undefined> {
  return {
    WOPI_SOURCE: v.wopiSrc,
    UI_LLCC: v.uiLlcc,
    DC_LLCC: v.dcLlcc ?? v.uiLlcc,
    SESSION_CONTEXT: v.sessionContext,
    BUSINESS_USER: v.businessUser ? '1' : undefined,
    HOST_SESSION_ID: v.hostSessionId,
    DISABLE_CHAT: v.disableChat ? '1' : undefined,
    VALIDATOR_TEST_CATEGORY: v.validatorTestCategory,
  };
}

export function buildActionUrl(urlsrc: string, values: ActionUrlValues): string {
  const known = placeholderValues(values);
  const valueFor = (placeholder: string): string | undefined =>
    Object.hasOwn(known, placeholder) ? known[placeholder] : undefined;
  let placedWopiSrc = false;

  // Keyed on the placeholder, not the parameter name: `<foo=UI_LLCC&>` still gets the language.
  const filled = urlsrc.replace(GROUP, (_group, name: string, placeholder: string) => {
    const value = valueFor(placeholder.trim());
    if (value === undefined || value === '') return '';
    if (placeholder.trim() === 'WOPI_SOURCE') placedWopiSrc = true;
    return `${name}=${encodeURIComponent(value)}&`;
  });

  const hashAt = filled.indexOf('#');
  const beforeHash = hashAt >= 0 ? filled.slice(0, hashAt) : filled;
  const hash = hashAt >= 0 ? filled.slice(hashAt) : '';
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash;
  const params = (queryAt >= 0 ? beforeHash.slice(queryAt + 1) : '').split('&').filter((p) => p !== '');

  // Some clients write a bare `WOPISrc=WOPI_SOURCE` outside any group; fill or drop those too.
  const query = params.flatMap((param) => {
    const eq = param.indexOf('=');
    const placeholder = eq >= 0 ? param.slice(eq + 1) : '';
    if (!Object.hasOwn(known, placeholder)) return [param];
    const value = valueFor(placeholder);
    if (value === undefined || value === '') return [];
    if (placeholder === 'WOPI_SOURCE') placedWopiSrc = true;
    return [`${param.slice(0, eq)}=${encodeURIComponent(value)}`];
  });
  // urlsrc values older than WOPI_SOURCE (2018) and Collabora's expect WOPISrc appended.
  if (!placedWopiSrc) query.push(`WOPISrc=${encodeURIComponent(values.wopiSrc)}`);
  return `${base}${query.length > 0 ? `?${query.join('&')}` : ''}${hash}`;
}

function normalizeExt(ext: string): string {
  return ext.replace(/^\./, '').toLowerCase();
}

/** The action for an extension in the chosen zone, or null. */
export function findAction(discovery: Discovery, ext: string, actionName: string): DiscoveryAction | null {
  const wanted = normalizeExt(ext);
  return actionsOf(discovery.zone).find((a) => a.ext === wanted && a.name === actionName) ?? null;
}

/** Names of the actions discovery offers for an extension (for "did you mean" messages). */
export function actionNamesFor(discovery: Discovery, ext: string): string[] {
  const wanted = normalizeExt(ext);
  return [
    ...new Set(
      actionsOf(discovery.zone)
        .filter((a) => a.ext === wanted)
        .map((a) => a.name),
    ),
  ];
}

/** The favicon of the app that handles an extension (PROTOCOL.md §9.4), or null. */
export function favIconUrlFor(discovery: Discovery, ext: string): string | null {
  const wanted = normalizeExt(ext);
  const app = discovery.zone.apps.find((a) => a.favIconUrl && a.actions.some((x) => x.ext === wanted));
  return app?.favIconUrl ?? null;
}
