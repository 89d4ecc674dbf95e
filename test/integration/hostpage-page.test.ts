// The host page over real HTTP on the WOPI listener: the pieces PROTOCOL §10.1 requires, the
// no-cache headers, launch-link checks (tampered 403, expired 410), host URLs in CheckFileInfo,
// explanations when discovery has no action, and the PostMessage forwarding endpoint.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HostPageMessage } from '../../server/contracts/events';
import {
  createLaunchLinks,
  LAUNCH_SECRET_KEY,
  launchUrl,
  newLaunchSecret,
} from '../../server/auth/launch-links';
import { LaunchError } from '../../server/hostpage';
import { buildDocx } from '../../server/simulator/ooxml/samples';
import { forSuite, startWiredEngine } from '../helpers/engine-fixture';

const TEN_HOURS = 10 * 3_600_000;

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
}

function attrOf(html: string, tagPattern: RegExp, name: string): string {
  const tag = tagPattern.exec(html)?.[0];
  assert.ok(tag, `no tag matching ${tagPattern}`);
  const value = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  assert.ok(value !== undefined, `${tag} has no ${name}`);
  return unescapeHtml(value);
}

function hostConfig(html: string): {
  messagesUrl: string;
  sessionToken: string;
  clientOrigin: string;
  hostEditUrl: string | null;
} {
  const json = /<script type="application\/json" id="host-config">([^<]*)<\/script>/.exec(html)?.[1];
  assert.ok(json, 'page carries its config');
  return JSON.parse(json) as ReturnType<typeof hostConfig>;
}

describe('host page', () => {
  let now = Date.now();
  const messages: HostPageMessage[] = [];
  const fx = forSuite(() =>
    startWiredEngine({
      prefix: 'wb-hostpage-',
      files: { 'report.docx': buildDocx(['Report']), 'notes.txt': 'notes\n', 'scan.pdf': '%PDF-1.4\n' },
      engine: { clock: () => now },
      beforeStart: (engine) => engine.bus.on('hostpage:message', (e) => messages.push(e.data)),
    }),
  );

  test('the page follows the host page rules and sends no-cache headers', async () => {
    const link = fx.rooms.hostPage.launch({
      fileId: fx.ids['report.docx']!,
      action: 'edit',
      personaId: 'editor',
    });
    assert.equal(link.profile, 'simulator');
    assert.equal(link.expiresAt, now + 10 * 60_000, 'launch links live launchLinkTtlMinutes (10)');
    const res = await fetch(
      `${link.url}&wdOrigin=OFFICECOM&wdPreviousSession=abc&wdPreviousCorrelation=def`,
      {
        headers: { 'accept-language': 'fr;q=0.8, de-AT, en;q=0.5' },
      },
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const cacheControl = res.headers.get('cache-control') ?? '';
    assert.ok(cacheControl.includes('no-cache') && cacheControl.includes('no-store'), cacheControl);
    assert.equal(res.headers.get('expires'), '-1');
    assert.equal(res.headers.get('pragma'), 'no-cache');
    const html = await res.text();

    assert.ok(html.includes('<meta charset="utf-8">'));
    assert.ok(html.includes('<meta http-equiv="x-ua-compatible" content="ie=edge">'));
    assert.ok(
      html.includes(
        '<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, minimum-scale=1, user-scalable=no">',
      ),
    );
    assert.ok(html.includes('<title>report.docx</title>'));
    assert.equal(
      attrOf(html, /<link rel="shortcut icon"[^>]*>/, 'href'),
      fx.rooms.discovery.favIconUrl('docx'),
    );
    assert.match(html, /body \{ margin: 0; padding: 0; overflow: hidden; -ms-content-zooming: none; \}/);

    // Form POST of the token into the iframe; the action URL from discovery's placeholders.
    assert.equal(attrOf(html, /<form [^>]*>/, 'target'), 'office_frame');
    assert.equal(attrOf(html, /<form [^>]*>/, 'method'), 'post');
    const action = attrOf(html, /<form [^>]*>/, 'action');
    const sim = fx.rooms.hostPage.simulator.origin();
    assert.ok(action.startsWith(`${sim}/sim/word/edit?`), action);
    const wopiSrc = `${fx.wb.publicBase()}/wopi/files/${fx.ids['report.docx']}`;
    assert.ok(action.includes(`wopisrc=${encodeURIComponent(wopiSrc)}`), action);
    assert.ok(action.includes('ui=de-AT'), action);
    assert.ok(!action.includes('<') && !action.includes('access_token'), action);
    assert.ok(
      action.endsWith('&wdOrigin=OFFICECOM&wdPreviousSession=abc&wdPreviousCorrelation=def'),
      `wd* parameters go to the frame unchanged: ${action}`,
    );
    const token = attrOf(html, /<input name="access_token" [^>]*>/, 'value');
    const check = fx.wb.tokens.verify(token, fx.ids['report.docx']!);
    assert.ok(check.ok);
    assert.equal(check.claims.userId, 'editor');
    assert.equal(check.claims.permissions, 'edit');
    const ttl = Number(attrOf(html, /<input name="access_token_ttl" [^>]*>/, 'value'));
    assert.equal(ttl, now + TEN_HOURS, 'access_token_ttl is epoch ms, 10 hours ahead');
    assert.equal(attrOf(html, /<input name="user_id" [^>]*>/, 'value'), 'editor');
    assert.ok(attrOf(html, /<input name="owner_id" [^>]*>/, 'value'));

    // The iframe is created by script, with the documented attributes, before the form is submitted.
    const script = html.slice(html.lastIndexOf('<script nonce='));
    const create = script.indexOf("document.createElement('iframe')");
    assert.ok(create > 0 && create < script.indexOf("getElementById('office_form').submit()"));
    for (const piece of [
      "office_frame.name = 'office_frame'",
      "office_frame.id = 'office_frame'",
      "office_frame.title = 'Office Frame'",
      "setAttribute('allowfullscreen', 'true')",
      '"allow-scripts allow-same-origin allow-forms allow-popups allow-top-navigation allow-popups-to-escape-sandbox"',
      "toClient('Host_PostmessageReady', {})",
      "name !== 'wdPreviousSession' && name !== 'wdPreviousCorrelation'",
      'history.replaceState',
    ]) {
      assert.ok(script.includes(piece), `script lacks ${piece}`);
    }
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    assert.ok(res.headers.get('content-security-policy')?.includes(`'nonce-${nonce}'`));
    assert.equal(hostConfig(html).clientOrigin, sim);
  });

  test('CheckFileInfo carries host URLs bound to the user, PostMessageOrigin and CloseUrl', async () => {
    const sim = fx.rooms.hostPage.simulator;
    const grant = fx.wb.mintTokenForId(fx.ids['report.docx']!, 'editor');
    const r = await sim.runSession({ wopiSrc: grant.wopiSrc, accessToken: grant.accessToken, edit: false });
    assert.equal(r.ok, true);
    const info = r.info!;
    assert.equal(info['PostMessageOrigin'], new URL(fx.wb.publicBase()).origin);
    assert.equal(info['CloseUrl'], `${fx.wb.publicBase()}/host-session/closed`);
    const edit = String(info['HostEditUrl']);
    const view = String(info['HostViewUrl']);
    assert.ok(edit.startsWith(`${fx.wb.publicBase()}/host/${fx.ids['report.docx']}?action=edit&l=`), edit);
    const editPage = await fetch(edit);
    assert.equal(editPage.status, 200);
    assert.match(attrOf(await editPage.text(), /<form [^>]*>/, 'action'), /\/sim\/word\/edit\?/);
    const viewPage = await fetch(view);
    assert.equal(viewPage.status, 200);
    const viewHtml = await viewPage.text();
    assert.match(attrOf(viewHtml, /<form [^>]*>/, 'action'), /\/sim\/word\/view\?/);
    assert.ok(hostConfig(viewHtml).hostEditUrl?.includes('action=edit'), 'UI_Edit can switch to edit');
    const closed = await fetch(String(info['CloseUrl']));
    assert.equal(closed.status, 200);
    assert.match(await closed.text(), /session has ended/);

    const viewerGrant = fx.wb.mintTokenForId(fx.ids['report.docx']!, 'viewer');
    const v = await sim.runSession({
      wopiSrc: viewerGrant.wopiSrc,
      accessToken: viewerGrant.accessToken,
      edit: false,
    });
    assert.equal(v.info?.['HostEditUrl'], undefined, 'no edit link for a view-only user');
    const viewerPage = await fetch(String(v.info?.['HostViewUrl']));
    const viewerToken = attrOf(await viewerPage.text(), /<input name="access_token" [^>]*>/, 'value');
    const claims = fx.wb.tokens.verify(viewerToken, fx.ids['report.docx']!);
    assert.ok(claims.ok && claims.claims.userId === 'viewer' && claims.claims.permissions === 'view');
  });

  test('missing, tampered, misdirected and expired links are refused with an explanation', async () => {
    const id = fx.ids['notes.txt']!;
    const link = fx.rooms.hostPage.launch({ fileId: id, action: 'edit' });
    const noLink = await fetch(`${fx.wb.publicBase()}/host/${id}?action=edit`);
    assert.equal(noLink.status, 403);
    assert.match(await noLink.text(), /launch link is needed/);

    const at = link.url.length - 8;
    const tampered = link.url.slice(0, at) + (link.url[at] === 'a' ? 'b' : 'a') + link.url.slice(at + 1);
    const bad = await fetch(tampered);
    assert.equal(bad.status, 403);
    assert.match(await bad.text(), /not valid/);

    const other = await fetch(link.url.replace(`/host/${id}?`, `/host/${fx.ids['report.docx']}?`));
    assert.equal(other.status, 403);
    assert.match(await other.text(), /different file/);

    const otherAction = await fetch(link.url.replace('action=edit', 'action=view'));
    assert.equal(otherAction.status, 403);

    now += 10 * 60_000 + 1;
    try {
      const expired = await fetch(link.url);
      assert.equal(expired.status, 410);
      assert.match(await expired.text(), /expired/);
      assert.equal(expired.headers.get('cache-control'), 'no-cache, no-store');
    } finally {
      now -= 10 * 60_000 + 1;
    }
  });

  /** A signed link made without launch()'s checks, like one minted before discovery changed. */
  function rawLink(fileId: string, action: string): string {
    const links = createLaunchLinks(fx.wb.kv.getOrCreate(LAUNCH_SECRET_KEY, newLaunchSecret), () => now);
    const token = links.mint({
      fileId,
      action,
      userId: 'editor',
      userName: 'Ada Editor',
      permissions: 'edit',
      profile: 'simulator',
      expiresAt: now + 60_000,
    });
    return launchUrl(fx.wb.publicBase(), fileId, action, token);
  }

  test('when discovery has no such action the page names the profile, extension, action and what exists', async () => {
    const pdf = await fetch(rawLink(fx.ids['scan.pdf']!, 'view'));
    assert.equal(pdf.status, 404);
    const pdfText = await pdf.text();
    assert.match(pdfText, /Client profile: simulator\. Extension: \.pdf\. Action: view\./);
    assert.match(pdfText, /lists no action/);

    const txt = await fetch(rawLink(fx.ids['notes.txt']!, 'editnew'));
    assert.equal(txt.status, 404);
    const txtText = await txt.text();
    assert.match(txtText, /Action: editnew/);
    for (const offered of ['<li>view</li>', '<li>edit</li>', '<li>embedview</li>'])
      assert.ok(txtText.includes(offered), offered);
  });

  test('launch refuses what cannot work, with control-API error codes', () => {
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof LaunchError);
        return e.code;
      }
      assert.fail('expected a LaunchError');
    };
    assert.equal(
      code(() => fx.rooms.hostPage.launch({ fileId: 'nope' })),
      'not-found',
    );
    assert.equal(
      code(() =>
        fx.rooms.hostPage.launch({ fileId: fx.ids['notes.txt']!, personaId: 'viewer', action: 'edit' }),
      ),
      'forbidden',
    );
    assert.equal(
      code(() => fx.rooms.hostPage.launch({ fileId: fx.ids['notes.txt']!, profile: 'nonsense' })),
      'bad-request',
    );
    assert.equal(
      fx.rooms.hostPage.launch({ fileId: fx.ids['notes.txt']!, personaId: 'viewer' }).action,
      'view',
    );
    assert.equal(fx.rooms.hostPage.launch({ fileId: fx.ids['notes.txt']! }).action, 'edit');
  });

  test('launch refuses an action discovery does not list for the extension, naming the ones it does', () => {
    const refusal = (fn: () => unknown): LaunchError => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof LaunchError);
        return e;
      }
      assert.fail('expected a LaunchError');
    };
    const explode = refusal(() =>
      fx.rooms.hostPage.launch({ fileId: fx.ids['notes.txt']!, action: 'explode' }),
    );
    assert.equal(explode.code, 'bad-request');
    assert.equal(
      explode.message,
      'the simulator client has no "explode" action for .txt files; use one of: view, edit, embedview',
    );
    const pdf = refusal(() => fx.rooms.hostPage.launch({ fileId: fx.ids['scan.pdf']! }));
    assert.equal(pdf.code, 'bad-request');
    assert.match(pdf.message, /lists no action for \.pdf, so it cannot open scan\.pdf/);
  });

  test('the control API launches through this room', async () => {
    const res = await fetch(`${fx.wb.controlUrl()}/v1/launch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.wb.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId: fx.ids['notes.txt'], action: 'view', personaId: 'viewer' }),
    });
    assert.equal(res.status, 200);
    const link = (await res.json()) as { url: string; action: string };
    assert.equal(link.action, 'view');
    assert.equal((await fetch(link.url)).status, 200);
    const refused = await fetch(`${fx.wb.controlUrl()}/v1/launch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fx.wb.controlToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId: fx.ids['notes.txt'], action: 'edit', personaId: 'viewer' }),
    });
    assert.equal(refused.status, 403);
  });

  test('PostMessages are forwarded to the bus only with a valid host-page session', async () => {
    const page = await fetch(fx.rooms.hostPage.launch({ fileId: fx.ids['notes.txt']!, action: 'view' }).url);
    const cfg = hostConfig(await page.text());
    assert.equal(cfg.messagesUrl, `${fx.wb.publicBase()}/host-session/messages`);
    const post = (token: string, body: unknown, type = 'application/json') =>
      fetch(cfg.messagesUrl, {
        method: 'POST',
        headers: { 'content-type': type, 'x-host-session': token },
        body: JSON.stringify(body),
      });
    const count = messages.length;
    const ok = await post(cfg.sessionToken, {
      direction: 'from-client',
      messageId: 'App_LoadingStatus',
      values: { DocumentLoadedTime: 123 },
    });
    assert.equal(ok.status, 204);
    assert.equal(messages.length, count + 1);
    const m = messages.at(-1)!;
    assert.equal(m.fileId, fx.ids['notes.txt']);
    assert.equal(m.direction, 'from-client');
    assert.equal(m.messageId, 'App_LoadingStatus');
    assert.deepEqual(m.values, { DocumentLoadedTime: 123 });
    assert.match(m.sessionId, /^[0-9a-f]{32}$/);
    assert.equal(m.at, now);

    const forged = `${cfg.sessionToken.slice(0, -1)}${cfg.sessionToken.endsWith('a') ? 'b' : 'a'}`;
    assert.equal((await post(forged, { direction: 'from-client', messageId: 'UI_Close' })).status, 403);
    assert.equal((await post(cfg.sessionToken, { direction: 'sideways', messageId: 'X' })).status, 400);
    assert.equal(
      (await post(cfg.sessionToken, { direction: 'to-client', messageId: 'X' }, 'text/plain')).status,
      415,
    );
    // Bounded and parsed by Express: each refusal is an answer, not a reset or a hang.
    const raw = (body: string, method = 'POST') =>
      fetch(cfg.messagesUrl, {
        method,
        headers: { 'content-type': 'application/json', 'x-host-session': cfg.sessionToken },
        ...(method === 'POST' ? { body } : {}),
      });
    const huge = await raw(
      JSON.stringify({ direction: 'to-client', messageId: 'X', values: { v: 'x'.repeat(70_000) } }),
    );
    assert.equal(huge.status, 413);
    assert.deepEqual(await huge.json(), { error: 'message too large' });
    const broken = await raw('{"direction": ');
    assert.equal(broken.status, 400);
    assert.deepEqual(await broken.json(), { error: 'body is not JSON' });
    assert.equal((await raw('', 'GET')).status, 405);
    assert.equal(messages.length, count + 1, 'nothing else reached the bus');
  });
});
