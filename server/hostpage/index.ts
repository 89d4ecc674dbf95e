// The host page room: mints launch links, serves /host/<file id> on the WOPI listener (so it has
// the public origin Office posts messages to), forwards PostMessages to the bus, and supplies the
// HostViewUrl/HostEditUrl/CloseUrl/PostMessageOrigin that CheckFileInfo hands out.
import { randomBytes } from 'node:crypto';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveUser } from '../auth/users';
import { launchUrl } from '../auth/launch-links';
import type { LaunchLinks } from '../auth/launch-links';
import type { LaunchLink, Permission, Persona, TokenGrant } from '../contracts/api';
import type { HostPageMessage } from '../contracts/events';
import { listProfiles } from '../discovery/profiles';
import { uiLanguage } from './language';
import { createMessagesRouter, MESSAGES_PATH } from './messages';
import { renderHostPage, renderNoticePage } from './page-html';
import { html } from './respond';

/** Codes the control API maps straight to statuses (404, 403, 400). */
export type LaunchErrorCode = 'not-found' | 'forbidden' | 'bad-request';

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  constructor(
    readonly code: LaunchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LaunchRequest {
  fileId: string;
  action?: string;
  personaId?: string;
  profile?: string;
  /** The user the link is for, when not a persona (proxy mode: the upstream's user for the token). */
  user?: HostPageUser;
}

export interface HostPageUser {
  userId: string;
  userName: string;
  permissions: Permission;
}

export type ActionLookup =
  { ok: true; url: string; favIconUrl: string | null } | { ok: false; reason: string; offered: string[] };

export interface HostPageDeps {
  clock: () => number;
  publicBase: () => string;
  links: LaunchLinks;
  launchTtlMs: number;
  personas: Persona[];
  activeProfile: () => string;
  profileIds: () => readonly string[];
  fileExists: (fileId: string) => boolean;
  /** Path of a served file relative to the folder, or null. */
  filePath: (fileId: string) => string | null;
  /** Action names discovery lists for an extension under a profile; null while that is not known. */
  offeredActions: (profile: string, ext: string) => readonly string[] | null;
  resolveFile: (fileId: string) => Promise<{ path: string; ownerId: string } | null>;
  /** The token the page hands the client; null when there is none any more (a proxied launch forgotten). */
  mintToken: (fileId: string, user: HostPageUser) => TokenGrant | null;
  actionUrl: (
    profile: string,
    ext: string,
    action: string,
    values: { wopiSrc: string; uiLlcc: string; hostSessionId: string },
  ) => ActionLookup;
  emit: (message: HostPageMessage) => void;
}

export const CLOSED_PATH = '/host-session/closed';
/** How long a host-page session lasts when the access token's lifetime is not known: 10 hours. */
const UNKNOWN_TTL_MS = 10 * 60 * 60 * 1000;
const EDIT_ACTIONS = new Set(['edit', 'editnew']);

/** Lower-case extension without the dot ('' for none), as discovery names it. */
export function extensionOf(filePath: string): string {
  const name = filePath.split('/').pop() ?? filePath;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Edit for editors, else view, when discovery lists it (or nothing is known); else its first action. */
function defaultAction(permissions: Permission, offered: readonly string[] | null): string {
  const preferred = permissions === 'edit' ? ['edit', 'view'] : ['view'];
  if (offered === null) return preferred[0]!;
  return preferred.find((a) => offered.includes(a)) ?? offered[0] ?? preferred[0]!;
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** `wd*` query parameters exactly as received (Office appends them; they go to the frame unchanged). */
export function wdParams(rawUrl: string): string[] {
  const q = rawUrl.indexOf('?');
  if (q < 0) return [];
  return rawUrl
    .slice(q + 1)
    .split('#')[0]!
    .split('&')
    .filter((p) => /^wd[A-Za-z0-9_]*(=|$)/.test(p));
}

function appendQuery(url: string, params: readonly string[]): string {
  if (params.length === 0) return url;
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${sep}${params.join('&')}${hash >= 0 ? url.slice(hash) : ''}`;
}

export function createHostPage(deps: HostPageDeps) {
  function link(
    fileId: string,
    action: string,
    user: HostPageUser,
    profile: string,
    expiresAt: number,
  ): string {
    const token = deps.links.mint({
      fileId,
      action,
      userId: user.userId,
      userName: user.userName,
      permissions: user.permissions,
      profile,
      expiresAt,
    });
    return launchUrl(deps.publicBase(), fileId, action, token);
  }

  function launch(req: LaunchRequest): LaunchLink {
    if (!deps.fileExists(req.fileId))
      throw new LaunchError('not-found', `no served file has id ${req.fileId}`);
    const profile = req.profile ?? deps.activeProfile();
    if (!deps.profileIds().includes(profile)) {
      throw new LaunchError(
        'bad-request',
        `unknown client profile "${profile}"; use one of: ${deps.profileIds().join(', ')}`,
      );
    }
    const user = req.user ?? resolveUser(deps.personas, req.personaId, undefined);
    const filePath = deps.filePath(req.fileId) ?? '';
    const ext = extensionOf(filePath);
    // A link the client cannot open is refused here, naming what would work, not found dead later.
    const offered = deps.offeredActions(profile, ext);
    if (offered !== null && offered.length === 0) {
      throw new LaunchError(
        'bad-request',
        `the ${profile} client lists no action for ${ext ? `.${ext}` : 'files without an extension'}, so it cannot open ${filePath}`,
      );
    }
    const action = req.action ?? defaultAction(user.permissions, offered);
    if (!/^[A-Za-z]{2,32}$/.test(action))
      throw new LaunchError('bad-request', `"${action}" is not a WOPI action name`);
    if (offered !== null && !offered.includes(action)) {
      throw new LaunchError(
        'bad-request',
        `the ${profile} client has no "${action}" action for .${ext} files; use one of: ${offered.join(', ')}`,
      );
    }
    if (EDIT_ACTIONS.has(action) && user.permissions !== 'edit') {
      throw new LaunchError(
        'forbidden',
        `${user.userName} may only view this file; launch it with action "view"`,
      );
    }
    const expiresAt = deps.clock() + deps.launchTtlMs;
    return { url: link(req.fileId, action, user, profile, expiresAt), expiresAt, action, profile };
  }

  type HostUrls = { view?: string; edit?: string; close?: string; origin?: string };
  // A client calls CheckFileInfo again and again with one token; its links are a pure function of
  // these inputs, so sign them once per token instead of on every call. Bounded: oldest out first.
  const hostUrlMemo = new Map<string, HostUrls>();
  const HOST_URL_MEMO_MAX = 512;

  /** Host URLs for CheckFileInfo: bound to the token's user and valid as long as the token. */
  function hostUrls(fileId: string, claims: HostPageUser & { expiresAt: number }): HostUrls {
    const profile = deps.activeProfile();
    const base = deps.publicBase();
    const key = JSON.stringify([
      fileId,
      claims.userId,
      claims.userName,
      claims.permissions,
      claims.expiresAt,
      profile,
      base,
    ]);
    const known = hostUrlMemo.get(key);
    if (known) return { ...known };
    const user = { userId: claims.userId, userName: claims.userName, permissions: claims.permissions };
    const out: HostUrls = {
      view: link(fileId, 'view', user, profile, claims.expiresAt),
      close: `${base}${CLOSED_PATH}`,
      origin: originOf(base),
    };
    if (claims.permissions === 'edit') out.edit = link(fileId, 'edit', user, profile, claims.expiresAt);
    if (hostUrlMemo.size >= HOST_URL_MEMO_MAX) hostUrlMemo.delete(hostUrlMemo.keys().next().value!);
    hostUrlMemo.set(key, out);
    return { ...out };
  }

  async function page(req: IncomingMessage, res: ServerResponse, url: URL, fileId: string): Promise<void> {
    const token = url.searchParams.get('l');
    if (!token) {
      return html(
        res,
        403,
        renderNoticePage('A launch link is needed', [
          'Host pages open only through a launch link from the workbench (it signs the file, action, user and expiry).',
          'Open the file from the workbench UI, or run `wopi-workbench open --file <path>`.',
        ]),
      );
    }
    const check = deps.links.verify(token, fileId);
    if (!check.ok) {
      if (check.reason === 'expired') {
        return html(
          res,
          410,
          renderNoticePage('This launch link has expired', [
            `It was valid until ${new Date(check.claims?.expiresAt ?? 0).toISOString()}. Launch links are short-lived so a leaked one is soon useless.`,
            'Open the file again from the workbench to get a fresh link.',
          ]),
        );
      }
      const why =
        check.reason === 'other-file'
          ? 'The link was made for a different file.'
          : check.reason === 'bad-signature'
            ? 'Its signature does not match: the link was altered, or made by another workbench data dir.'
            : 'It is not a link this workbench made.';
      return html(
        res,
        403,
        renderNoticePage('This launch link is not valid', [why, 'Open the file again from the workbench.']),
      );
    }
    const claims = check.claims;
    const asked = url.searchParams.get('action');
    if (asked !== null && asked !== claims.action) {
      return html(
        res,
        403,
        renderNoticePage('This launch link is not valid', [
          `The link was made for the "${claims.action}" action, not "${asked}".`,
        ]),
      );
    }
    const file = await deps.resolveFile(fileId);
    if (!file) {
      return html(
        res,
        404,
        renderNoticePage('File not found', [`The file with id ${fileId} is no longer in the served folder.`]),
      );
    }
    const name = file.path.split('/').pop() ?? file.path;
    const ext = extensionOf(file.path);
    const grant = deps.mintToken(fileId, claims);
    if (!grant) {
      return html(
        res,
        410,
        renderNoticePage('This launch is no longer known', [
          'The workbench keeps the access token your WOPI host minted only while it runs, and it has none for this file and user.',
          'Launch the file again (with its access token) from the workbench.',
        ]),
      );
    }
    // An unknown token lifetime (0) still gives the page's own session and links a bounded one.
    const until = grant.accessTokenTtl > 0 ? grant.accessTokenTtl : deps.clock() + UNKNOWN_TTL_MS;
    const sessionId = randomBytes(16).toString('hex');
    const found = deps.actionUrl(claims.profile, ext, claims.action, {
      wopiSrc: grant.wopiSrc,
      uiLlcc: uiLanguage(req.headers['accept-language']),
      hostSessionId: sessionId,
    });
    if (!found.ok) {
      return html(
        res,
        404,
        renderNoticePage(
          `Cannot open ${name} with "${claims.action}"`,
          [
            found.reason,
            `Client profile: ${claims.profile}. Extension: ${ext ? `.${ext}` : '(none)'}. Action: ${claims.action}.`,
            found.offered.length
              ? `Actions discovery lists for .${ext}:`
              : 'Discovery lists no action for this extension.',
          ],
          found.offered,
        ),
      );
    }
    const actionUrl = appendQuery(found.url, wdParams(req.url ?? ''));
    const nonce = randomBytes(16).toString('base64');
    const body = renderHostPage(
      {
        title: name,
        favIconUrl: found.favIconUrl,
        header: {
          fileName: name,
          userName: claims.userName,
          permissions: claims.permissions,
          action: claims.action,
          client: listProfiles().find((p) => p.id === claims.profile)?.name ?? claims.profile,
          profile: claims.profile,
        },
        actionUrl,
        accessToken: grant.accessToken,
        accessTokenTtl: grant.accessTokenTtl,
        userId: claims.userId,
        ownerId: file.ownerId,
        clientOrigin: originOf(actionUrl),
        messagesUrl: `${deps.publicBase()}${MESSAGES_PATH}`,
        sessionToken: deps.links.mintSession({ sessionId, fileId, expiresAt: until }),
        closeUrl: `${deps.publicBase()}${CLOSED_PATH}`,
        hostEditUrl:
          claims.permissions === 'edit' && claims.action !== 'edit'
            ? link(fileId, 'edit', claims, claims.profile, until)
            : null,
      },
      nonce,
    );
    html(res, 200, body, {
      // Scripts and styles only by nonce; frames and forms are left open because clients redirect.
      'content-security-policy': `script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; object-src 'none'; base-uri 'none'`,
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
  }

  // Page, PostMessage relay and session end, as Express routes on the WOPI listener's origin.
  const router = express.Router({ caseSensitive: true, strict: true });
  router.use(createMessagesRouter({ links: deps.links, clock: deps.clock, emit: deps.emit }));
  router.all(CLOSED_PATH, (_req: Request, res: Response): void =>
    html(res, 200, renderNoticePage('The editing session has ended', ['You can close this tab.'])),
  );
  router.all(/^\/host\/([^/]+)\/?$/, (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return html(res, 405, renderNoticePage('Method not allowed', ['Host pages are opened with GET.']), {
        allow: 'GET, HEAD',
      });
    }
    // The raw segment, decoded once here (Express would hand over a decoded copy with no way to
    // tell a bad escape from a good one).
    const raw = /^\/host\/([^/]+)/.exec(req.path)![1]!;
    let fileId: string;
    try {
      fileId = decodeURIComponent(raw);
    } catch {
      return html(res, 400, renderNoticePage('Bad file id', ['The file id in the URL is not valid.']));
    }
    page(req, res, new URL(req.url, 'http://host.invalid'), fileId).catch(next);
  });

  return { launch, hostUrls, router };
}

export type HostPage = ReturnType<typeof createHostPage>;
