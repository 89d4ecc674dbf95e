// Things that make a working tunnel useless for the chosen WOPI client, said before the person
// finds out from a blank editor frame.

export interface WarningInput {
  /** The public URL, once known. */
  publicUrl?: string;
  /** The tunnel server (localtunnel), used while the public URL is not known yet. */
  server?: string;
  /** The active client profile refuses plain-http hosts. */
  requiresHttps: boolean;
  /** ClientProfileView['kind'] of the active profile. */
  profileKind?: string;
}

// Public tunnel services whose hostnames belong to the service, not to the person. None of them can
// be on Microsoft's WOPI allow list for a given partner.
const SHARED_TUNNEL_DOMAINS = [
  'loca.lt',
  'localtunnel.me',
  'ngrok-free.app',
  'ngrok-free.dev',
  'ngrok.io',
  'ngrok.app',
  'trycloudflare.com',
  'serveo.net',
  'localhost.run',
  'lhr.life',
];

// The public localtunnel service puts its reminder page in front of every *.loca.lt tunnel.
const REMINDER_DOMAINS = ['loca.lt', 'localtunnel.me'];

const OFFICE_KINDS = new Set(['office', 'office-test']);

function hostOf(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return new URL(raw).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function under(host: string, domains: readonly string[]): string | null {
  return domains.find((d) => host === d || host.endsWith(`.${d}`)) ?? null;
}

export function tunnelWarnings(input: WarningInput): string[] {
  const warnings: string[] = [];
  const host = hostOf(input.publicUrl) ?? hostOf(input.server);

  if (input.requiresHttps && input.publicUrl?.startsWith('http:')) {
    warnings.push(
      `The client profile requires HTTPS, but the public URL ${input.publicUrl} is plain http: the client ` +
        'will refuse to call it. Use a tunnel server reached over https, or a public URL behind TLS.',
    );
  }

  const shared = host ? under(host, SHARED_TUNNEL_DOMAINS) : null;
  if (shared && input.profileKind && OFFICE_KINDS.has(input.profileKind)) {
    warnings.push(
      `Office for the web only calls hosts on Microsoft's WOPI allow list, and the shared tunnel domain ` +
        `${shared} is not on it, so Office will never reach this workbench. Run a self-hosted tunnel ` +
        'server on your own allow-listed wildcard domain (allow-list entries cover subdomains, e.g. ' +
        '*.wopi.example.com) and set it as the tunnel server, or use a public URL on that domain.',
    );
  }

  if (host && under(host, REMINDER_DOMAINS)) {
    warnings.push(
      'The public loca.lt service shows a "friendly reminder" page (HTTP 401) to browsers before the first ' +
        'request gets through, once per visitor IP and 7 days, and asks for a tunnel password (the public IP ' +
        'of this machine). Requests that send a `bypass-tunnel-reminder` header (any value) or a non-browser ' +
        'User-Agent are passed through, which covers server-to-server WOPI calls; people opening the host ' +
        'page in a browser will see the interstitial first. A self-hosted tunnel server has no such page.',
    );
  }

  return warnings;
}
