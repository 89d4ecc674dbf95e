// The host page, as Microsoft's hostpage docs and SampleHostPage.html describe it (PROTOCOL §10.1):
// the iframe is created by script, then a form POST of access_token/access_token_ttl targets it.
// Every PostMessage either way is forwarded to the host for the live panel.
import { escapeHtml, scriptJson } from '../protocol/html';

export interface HostPageConfig {
  title: string;
  favIconUrl: string | null;
  actionUrl: string;
  accessToken: string;
  /** Epoch ms. */
  accessTokenTtl: number;
  userId: string;
  ownerId: string;
  /** Origin of the action URL: the only origin whose messages are accepted and posted to. */
  clientOrigin: string;
  messagesUrl: string;
  sessionToken: string;
  closeUrl: string;
  hostEditUrl: string | null;
  /** The product header above the frame: what is open, as whom, in which client. */
  header?: {
    fileName: string;
    userName: string;
    permissions: 'view' | 'edit';
    /** The discovery action the frame runs (view, edit, editnew, …). */
    action: string;
    /** The client profile's name ('Built-in simulated client', 'Collabora Online', …). */
    client: string;
    profile: string;
  };
}

/** Height of the header bar; the frame fills the rest of the window. */
const HEADER_PX = 44;

const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-top-navigation allow-popups-to-escape-sandbox';

const STYLE = `
body { margin: 0; padding: 0; overflow: hidden; -ms-content-zooming: none; }
#office_frame { width: 100%; height: 100%; position: absolute; top: 0; left: 0; right: 0; bottom: 0; margin: 0; border: none; display: block; }
#wb-header { position: absolute; top: 0; left: 0; right: 0; height: ${HEADER_PX}px; box-sizing: border-box; display: flex; align-items: center; gap: 14px; padding: 0 16px; background: #1f2a37; color: #fff; font: 14px/1.2 system-ui, sans-serif; white-space: nowrap; }
#wb-header .brand { font-weight: 600; opacity: .8; }
#wb-header .file { font-weight: 600; font-size: 15px; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
#wb-header .file img { width: 16px; height: 16px; vertical-align: -3px; margin-right: 6px; }
#wb-header .spacer { flex: 1; }
#wb-header .who, #wb-header .client { display: flex; align-items: center; gap: 6px; opacity: .95; }
#wb-header .badge { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; padding: 2px 7px; border-radius: 10px; background: #3b4b5e; }
#wb-header .badge.edit { background: #1f7a4d; }
#wb-header .avatar { width: 24px; height: 24px; border-radius: 50%; background: #5b7aa6; display: inline-flex; align-items: center; justify-content: center; font-size: 11px; font-weight: 700; }
body.with-header #office_frame { top: ${HEADER_PX}px; height: calc(100% - ${HEADER_PX}px); }
`;

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return (
    (parts[0]?.[0] ?? '?') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')
  ).toUpperCase();
}

function renderHeader(h: NonNullable<HostPageConfig['header']>, favIconUrl: string | null): string {
  const icon = favIconUrl ? `<img src="${escapeHtml(favIconUrl)}" alt="">` : '';
  const mode = h.permissions === 'edit' ? 'edit' : 'view';
  return `<header id="wb-header" data-profile="${escapeHtml(h.profile)}">
<span class="brand">WOPI Workbench</span>
<span class="file" id="wb-file">${icon}${escapeHtml(h.fileName)}</span>
<span class="spacer"></span>
<span class="who" id="wb-persona" title="The persona this session acts as"><span class="avatar">${escapeHtml(initials(h.userName))}</span>${escapeHtml(h.userName)} <span class="badge ${mode}" id="wb-mode">can ${mode}</span></span>
<span class="client" id="wb-client" title="The WOPI client opening the file">${escapeHtml(h.client)} <span class="badge">${escapeHtml(h.action)}</span></span>
</header>
`;
}

// Runs in the browser. The frame is appended first, then the form is submitted into it.
const SCRIPT = `
(function () {
  var cfg = JSON.parse(document.getElementById('host-config').textContent);
  function forward(direction, msg) {
    try {
      fetch(cfg.messagesUrl, {
        method: 'POST', keepalive: true,
        headers: { 'content-type': 'application/json', 'x-host-session': cfg.sessionToken },
        body: JSON.stringify({ direction: direction, messageId: msg.MessageId, values: msg.Values || {} })
      }).catch(function () {});
    } catch (e) {}
  }
  var frameholder = document.getElementById('frameholder');
  var office_frame = document.createElement('iframe');
  office_frame.name = 'office_frame';
  office_frame.id = 'office_frame';
  office_frame.title = 'Office Frame';
  office_frame.setAttribute('allowfullscreen', 'true');
  office_frame.setAttribute('sandbox', ${JSON.stringify(SANDBOX)});
  frameholder.appendChild(office_frame);
  function toClient(id, values) {
    var msg = { MessageId: id, SendTime: Date.now(), Values: values };
    office_frame.contentWindow.postMessage(JSON.stringify(msg), cfg.clientOrigin);
    forward('to-client', msg);
  }
  window.addEventListener('message', function (e) {
    if (e.source !== office_frame.contentWindow || e.origin !== cfg.clientOrigin) return;
    var msg;
    try { msg = typeof e.data === 'string' ? JSON.parse(e.data) : e.data; } catch (err) { return; }
    if (!msg || typeof msg.MessageId !== 'string') return;
    forward('from-client', msg);
    var v = msg.Values || {};
    if (msg.MessageId === 'File_Rename' && typeof v.NewName === 'string') document.title = v.NewName;
    else if (msg.MessageId === 'App_IsFrameTrusted') toClient('Host_IsFrameTrusted', { isTopFrameTrusted: window.top === window });
    else if (msg.MessageId === 'UI_Close') window.location.href = cfg.closeUrl;
    else if (msg.MessageId === 'UI_Edit' && cfg.hostEditUrl) window.location.href = cfg.hostEditUrl;
  });
  // The listener is ready: tell every document the frame loads (the first load is about:blank,
  // which the target origin filters out).
  office_frame.addEventListener('load', function () { toClient('Host_PostmessageReady', {}); });
  document.getElementById('office_form').submit();
  // wd* parameters went to the frame unchanged; only these two leave the visible URL.
  var kept = window.location.search.replace(/^\\?/, '').split('&').filter(function (p) {
    var name = p.split('=')[0];
    return p && name !== 'wdPreviousSession' && name !== 'wdPreviousCorrelation';
  });
  if (kept.length !== window.location.search.replace(/^\\?/, '').split('&').filter(Boolean).length) {
    window.history.replaceState(window.history.state, document.title,
      window.location.pathname + (kept.length ? '?' + kept.join('&') : '') + window.location.hash);
  }
})();
`;

export function renderHostPage(cfg: HostPageConfig, nonce: string): string {
  const icon = cfg.favIconUrl ? `<link rel="shortcut icon" href="${escapeHtml(cfg.favIconUrl)}">\n` : '';
  const hidden = (name: string, value: string): string =>
    `<input name="${name}" value="${escapeHtml(value)}" type="hidden">`;
  const clientConfig = {
    clientOrigin: cfg.clientOrigin,
    messagesUrl: cfg.messagesUrl,
    sessionToken: cfg.sessionToken,
    closeUrl: cfg.closeUrl,
    hostEditUrl: cfg.hostEditUrl,
  };
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="x-ua-compatible" content="ie=edge">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1, user-scalable=no">
<title>${escapeHtml(cfg.title)}</title>
${icon}<style nonce="${nonce}">${STYLE}</style>
</head>
<body${cfg.header ? ' class="with-header"' : ''}>
${cfg.header ? renderHeader(cfg.header, cfg.favIconUrl) : ''}<form id="office_form" name="office_form" target="office_frame" action="${escapeHtml(cfg.actionUrl)}" method="post">
${hidden('access_token', cfg.accessToken)}
${hidden('access_token_ttl', String(cfg.accessTokenTtl))}
${hidden('user_id', cfg.userId)}
${hidden('owner_id', cfg.ownerId)}
</form>
<span id="frameholder"></span>
<script type="application/json" id="host-config">${scriptJson(clientConfig)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

/** A plain explanation page (bad link, missing file, no action in discovery, session closed). */
export function renderNoticePage(
  title: string,
  paragraphs: readonly string[],
  list: readonly string[] = [],
): string {
  const items = list.length ? `<ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 46em; padding: 0 1em; color: #1d232b">
<h1 style="font-size: 1.35em">${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${items}
<p style="color: #5a6470; font-size: .9em">WOPI Workbench host page</p>
</body>
</html>
`;
}
