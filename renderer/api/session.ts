// Where the control API lives and which token to send. The token arrives once in the URL fragment
// (fragments never reach server logs), is kept per tab in sessionStorage, and is wiped from the URL.

const TOKEN_KEY = 'wopi-workbench.control-token';
const API_KEY = 'wopi-workbench.api-origin';

export interface Session {
  /** Origin of the control listener, no trailing slash. */
  apiBase: string;
  token: string | null;
}

function safeStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Only loopback origins may be used as an API override, so a crafted link can't send the token elsewhere. */
function loopbackOrigin(raw: string | null): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
    return loopback && (url.protocol === 'http:' || url.protocol === 'https:') ? url.origin : null;
  } catch {
    return null;
  }
}

export function readSession(): Session {
  const storage = safeStorage();
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const query = new URLSearchParams(window.location.search);

  const fragmentToken = fragment.get('token');
  if (fragmentToken) storage?.setItem(TOKEN_KEY, fragmentToken);

  const apiOverride = loopbackOrigin(query.get('api'));
  if (apiOverride) storage?.setItem(API_KEY, apiOverride);

  if (fragmentToken) {
    fragment.delete('token');
    const rest = fragment.toString();
    const clean = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
    window.history.replaceState(window.history.state, '', clean);
  }

  const storedApi = loopbackOrigin(storage?.getItem(API_KEY) ?? null);
  const origin = window.location.origin;
  const apiBase = apiOverride ?? storedApi ?? (origin.startsWith('http') ? origin : 'http://127.0.0.1');
  return { apiBase, token: fragmentToken ?? storage?.getItem(TOKEN_KEY) ?? null };
}
