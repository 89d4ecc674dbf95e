// The page a host's form POST lands on (inside its iframe). It behaves like Office's frame: asks
// the simulator's backend (where the private key is) to run the WOPI calls, shows the file, and
// talks to the host page with PostMessage using exactly the PostMessageOrigin from CheckFileInfo.

import { escapeHtml, scriptJson } from '../protocol/html';

export interface ActionPageConfig {
  sessionId: string;
  app: string;
  action: string;
  /** Same-origin API base for this session (POST <api>/open|save|rename|close). */
  api: string;
  misbehave: string[];
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d232b; }
header { background: #24313f; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; }
header b { font-size: 15px; } header span { opacity: .75; }
main { padding: 14px 16px; display: grid; gap: 12px; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); }
section { background: #fff; border: 1px solid #d9dde3; border-radius: 6px; padding: 12px; }
textarea { width: 100%; min-height: 260px; font: 13px/1.4 ui-monospace, monospace; box-sizing: border-box; }
pre { white-space: pre-wrap; margin: 0; font: 13px/1.4 ui-monospace, monospace; }
ol { margin: 0; padding-left: 20px; font: 12px/1.5 ui-monospace, monospace; }
li.bad { color: #b3261e; } li.expected { color: #8a5a00; }
.row { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 8px; }
button { padding: 5px 12px; } .warn { color: #8a5a00; } .err { color: #b3261e; }
header .persona { margin-left: auto; display: flex; gap: 6px; align-items: center; }
header .persona b { font-size: 14px; }
#banner { display: none; padding: 8px 12px; border-radius: 6px; margin-bottom: 10px; }
#banner.read-only { display: block; background: #fff4ce; border: 1px solid #e0c060; color: #4a3b00; }
#banner.rejected { display: block; background: #fde7e9; border: 1px solid #e8a0a6; color: #7a1c24; }
#banner.failed { display: block; background: #fde7e9; border: 1px solid #e8a0a6; color: #7a1c24; }
#banner.info { display: block; background: #e8f1fb; border: 1px solid #b6cfea; color: #1b3a5c; }
`;

// Plain ES2017 in a string: it runs in the browser, inside the host's sandboxed iframe.
const SCRIPT = `
(function () {
  var cfg = JSON.parse(document.getElementById('sim-config').textContent);
  var main = document.getElementById('sim');
  var info = null, hostOrigin = null, readyOrigin = null, notified = false, kind = 'none', readOnly = false;
  function $(id) { return document.getElementById(id); }
  function setState(s) { main.setAttribute('data-state', s); $('state').textContent = s; }
  function banner(text, cls) { var b = $('banner'); b.textContent = text || ''; b.className = text ? cls : ''; }
  function note(text, cls) {
    var li = document.createElement('li'); li.textContent = text; if (cls) li.className = cls; $('notes').appendChild(li);
  }
  function showSteps(steps) {
    var list = $('steps'); list.textContent = '';
    steps.forEach(function (s) {
      var li = document.createElement('li');
      li.textContent = s.operation + ' ' + s.method + ' -> ' + (s.error ? 'network error: ' + s.error : s.status) +
        (s.lock !== undefined ? ' [X-WOPI-Lock: ' + s.lock + ']' : '') +
        (s.lockFailureReason ? ' [X-WOPI-LockFailureReason: ' + s.lockFailureReason + ']' : '') + ' (' + s.proof + ')' +
        (s.serverError ? ' - ' + s.serverError : '');
      li.className = s.ok ? 'ok' : s.expected ? 'expected' : 'bad';
      li.setAttribute('data-operation', s.operation); li.setAttribute('data-status', String(s.status));
      list.appendChild(li);
    });
  }
  function post(id, values) {
    if (!hostOrigin) { note('Not posted ' + id + ': CheckFileInfo has no PostMessageOrigin', 'warn'); return; }
    var v = { 'ui-language': '1033', wdUserSession: cfg.sessionId };
    for (var k in values) v[k] = values[k];
    window.parent.postMessage(JSON.stringify({ MessageId: id, SendTime: Date.now(), Values: v }), hostOrigin);
    note('Posted ' + id + ' to ' + hostOrigin);
  }
  window.addEventListener('message', function (e) {
    var msg; try { msg = JSON.parse(e.data); } catch (err) { return; }
    if (!msg || typeof msg.MessageId !== 'string') return;
    if (hostOrigin && e.origin !== hostOrigin) { note('Ignored ' + msg.MessageId + ' from ' + e.origin + ' (PostMessageOrigin is ' + hostOrigin + ')', 'warn'); return; }
    if (msg.MessageId === 'Host_PostmessageReady') { readyOrigin = e.origin; $('ready').textContent = 'yes, from ' + e.origin; }
    else if (msg.MessageId === 'Host_IsFrameTrusted') note('Host_IsFrameTrusted: ' + JSON.stringify(msg.Values));
    else note('Host sent ' + msg.MessageId);
  });
  function api(op, body) {
    return fetch(cfg.api + '/' + op, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.json(); });
  }
  function render(content) {
    kind = content.kind;
    var box = $('content'); box.textContent = '';
    var editable = (cfg.action === 'edit' || cfg.action === 'editnew') && info && info.UserCanWrite === true && !readOnly;
    if (content.kind === 'text') {
      var ta = document.createElement('textarea'); ta.id = 'text'; ta.value = content.text; ta.readOnly = !editable;
      ta.addEventListener('input', function () {
        if (!notified && info && info.EditNotificationPostMessage) { notified = true; post('Edit_Notification', {}); }
      });
      box.appendChild(ta);
    } else if (content.kind === 'office') {
      var pre = document.createElement('pre'); pre.id = 'summary';
      pre.textContent = content.summary.kind.toUpperCase() + ' package, ' + content.summary.parts.length + ' parts; ' +
        content.summary.mainPart + ':\\n\\n' + content.summary.text;
      box.appendChild(pre);
    } else if (content.kind === 'binary') box.textContent = 'Binary file, ' + content.size + ' bytes (not shown).';
    $('save').hidden = !(editable || readOnly) || content.kind === 'binary';
    $('save').textContent = readOnly ? 'Try to save anyway' : content.kind === 'office' ? 'Apply simulated edit and save' : 'Save';
    $('rename-row').hidden = !editable || !(info && info.SupportsRename && info.UserCanRename);
    $('edit').hidden = editable || readOnly || !(info && info.UserCanWrite && (info.HostEditUrl || info.EditModePostMessage));
  }
  function open() {
    setState('loading');
    api('open').then(function (r) {
      showSteps(r.steps);
      if (r.info && typeof r.info.UserFriendlyName === 'string') $('persona-name').textContent = r.info.UserFriendlyName;
      if (!r.ok) { setState('failed'); banner(r.message || 'The file could not be opened.', 'failed'); if (r.error) note(r.error, 'err'); return; }
      info = r.info; hostOrigin = info.PostMessageOrigin || null;
      readOnly = r.state === 'read-only';
      $('name').textContent = info.BaseFileName || '';
      $('persona-mode').textContent = r.state === 'editing' ? 'editing' : readOnly ? 'read-only' : 'viewing';
      // Office's answer to a lock held elsewhere: read-only, naming who edits, not a dead end.
      if (readOnly) banner(r.message, 'read-only');
      document.title = (info.BaseFileName || 'Document') + ' - ' + cfg.app + ' (simulator)';
      if (readyOrigin && hostOrigin && readyOrigin !== hostOrigin) note('Host_PostmessageReady came from ' + readyOrigin + ' but PostMessageOrigin is ' + hostOrigin, 'warn');
      render(r.content);
      setState(readOnly ? 'read-only' : 'ready');
      post('App_LoadingStatus', { DocumentLoadedTime: Date.now() });
    }).catch(function (e) { setState('failed'); note(String(e), 'err'); });
  }
  $('save').addEventListener('click', function () {
    setState('saving');
    var body = kind === 'text' ? { text: $('text').value } : {};
    api('save', body).then(function (r) {
      showSteps(r.steps); if (r.content) render(r.content);
      if (r.ok) { setState('saved'); banner(r.message, 'info'); }
      else { setState(readOnly ? 'read-only' : 'save-rejected'); banner(r.message, 'rejected'); }
    });
  });
  $('close').addEventListener('click', function () {
    api('close').then(function (r) {
      showSteps(r.steps); setState('closed');
      if (info && info.ClosePostMessage) post('UI_Close', {});
      else if (info && info.CloseUrl) window.top.location.href = info.CloseUrl;
      else note('No ClosePostMessage and no CloseUrl: Office would hide its Close button', 'warn');
    });
  });
  $('edit').addEventListener('click', function () {
    if (info.EditModePostMessage) post('UI_Edit', {});
    else window.top.location.href = info.HostEditUrl;
  });
  $('rename').addEventListener('click', function () {
    api('rename', { name: $('new-name').value }).then(function (r) {
      showSteps(r.steps);
      if (r.ok) { $('name').textContent = r.name + (info.FileExtension || ''); post('File_Rename', { NewName: r.name }); }
    });
  });
  open();
})();
`;

export function renderActionPage(cfg: ActionPageConfig, nonce: string): string {
  const misbehave = cfg.misbehave.length
    ? `<p class="warn" id="misbehave">Misbehaving on purpose: ${escapeHtml(cfg.misbehave.join(', '))}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(cfg.app)} (simulator)</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header><b>${escapeHtml(cfg.app)} simulator</b><span>${escapeHtml(cfg.action)}</span><span id="name"></span><span class="persona" title="The user this client acts as (CheckFileInfo UserFriendlyName)">as <b id="persona-name">…</b> <span id="persona-mode"></span></span></header>
<main id="sim" data-state="loading">
<section>
<div id="banner" role="status"></div>
<p>State: <b id="state">loading</b> · Host_PostmessageReady received: <span id="ready">not yet</span></p>
${misbehave}
<div id="content"></div>
<div class="row">
<button id="save" hidden>Save</button>
<button id="edit" hidden>Edit in browser</button>
<button id="close">Close</button>
</div>
<div class="row" id="rename-row" hidden><input id="new-name" placeholder="new name (no extension)"><button id="rename">Rename</button></div>
</section>
<section><b>WOPI requests</b><ol id="steps"></ol><b>PostMessage</b><ol id="notes"></ol></section>
</main>
<script type="application/json" id="sim-config">${scriptJson(cfg)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

export function renderProblemPage(title: string, detail: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; margin: 2em; max-width: 48em">
<h1 style="font-size: 1.3em">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p>
<p style="color:#555">WOPI Workbench simulated client</p></body></html>
`;
}
