// URL rules for the window: where it may navigate, what may be handed to the OS browser, and
// which permission requests are granted. Pure, so every rule is unit tested without Electron.

export const MAX_EXTERNAL_URL_LENGTH = 8192;

export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    // Opaque origins ("null": data:, file:, about:) never match anything.
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** In-window navigation is allowed only within the app origin (the UI served by the control listener). */
export function isNavigationAllowed(url: string, appOrigin: string | null): boolean {
  return appOrigin !== null && originOf(url) === appOrigin;
}

/**
 * A URL the OS may open in the default browser: http(s) only, no embedded credentials, bounded
 * length. Returns the normalised href, or null when refused (file:, javascript:, custom schemes
 * would otherwise launch arbitrary local handlers).
 */
export function safeExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_EXTERNAL_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.hostname === '') return null;
  return url.href;
}

export type WindowOpenDecision = { action: 'deny'; openExternally: string | null };

/** New windows are never created; a valid http(s) link goes to the OS browser instead. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: safeExternalUrl(url) };
}

/**
 * Permissions granted to the app origin. Everything else (camera, geolocation, notifications from
 * the page, ...) is denied: the UI has no use for it. Clipboard writes keep the UI's browser
 * fallback working when the preload is unavailable.
 */
const GRANTED_TO_APP: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  appOrigin: string | null,
): boolean {
  return GRANTED_TO_APP.has(permission) && isNavigationAllowed(requestingUrl, appOrigin);
}
