// One simulated client session against a WOPI host, in the order Office uses (PROTOCOL §11):
// open = CheckFileInfo, (PutFile of a template for editnew on an empty file), Lock, GetFile;
// save = PutFile, RefreshLock; close = Unlock. Every request is signed server-side.
import { randomUUID } from 'node:crypto';
import { WopiHeader } from '../protocol/headers';
import { encodeUtf7 } from '../protocol/utf7';
import { editOfficeFile, officeKindOf, summarizeOfficeFile } from './ooxml/edit';
import type { OfficeSummary } from './ooxml/edit';
import { blankDocument } from './ooxml/samples';
import { newCorrelationId, proofHeaders, sendHttp, wopiUrl } from './wopi-client';
import type { ConnectFn, Misbehaviour, SigningKeys, WopiReply } from './wopi-client';

export interface SessionStep {
  operation: string;
  method: 'GET' | 'POST';
  status: number;
  /** 2xx. */
  ok: boolean;
  /** The failure was what the chosen misbehaviour asks for. */
  expected?: boolean;
  /** X-WOPI-Lock in the response (present on lock conflicts), X-WOPI-ItemVersion, X-WOPI-ServerError. */
  lock?: string;
  /** X-WOPI-LockFailureReason on a lock conflict (hosts name the holder there). */
  lockFailureReason?: string;
  itemVersion?: string;
  serverError?: string;
  proof: string;
  /** Network failure, instead of a status. */
  error?: string;
  /** X-WOPI-CorrelationId sent, to find the request in the host's log. */
  correlationId: string;
  at: number;
}

export type SessionContent =
  | { kind: 'text'; text: string }
  | { kind: 'office'; summary: OfficeSummary }
  | { kind: 'binary'; size: number }
  | { kind: 'none' };

export interface SessionDeps {
  clock: () => number;
  keys: () => SigningKeys;
  connect?: ConnectFn;
  userAgent: string;
}

export interface SessionOptions {
  wopiSrc: string;
  accessToken: string;
  /** view, edit, editnew or embedview. */
  action: string;
  misbehave?: readonly Misbehaviour[];
  /** Sign every request as if it had been sent to this origin (scheme://host[:port]) instead. */
  signAs?: string;
  /**
   * Co-authoring: join an edit already going on under this lock id (Office's second editor). The
   * session sends Lock with the same id, which a host answers as a refresh (PROTOCOL §11).
   */
  joinLockId?: string;
  /** The other co-authors' user ids, listed with this session's own in X-WOPI-Editors on PutFile. */
  coEditors?: () => readonly string[];
  /** Sent on every request (e.g. X-Workbench-Check, so the host tags the records). */
  headers?: Record<string, string>;
}

/**
 * What the session shows its user, as Office would: editing, viewing, read-only because someone else
 * holds the lock (named from X-WOPI-LockFailureReason), failed, or closed.
 */
export type SessionState = 'opening' | 'editing' | 'read-only' | 'viewing' | 'failed' | 'closed';

export interface LockedBy {
  lockId: string;
  holder?: string;
  reason?: string;
}

/** The last save and how the host answered it. */
export interface SaveAttempt {
  ok: boolean;
  status: number;
  /** X-WOPI-Lock of a refusal: the lock the host holds. */
  lock?: string;
  reason?: string;
}

/**
 * The holder named in X-WOPI-LockFailureReason ("Locked by Alice Example; …", as this workbench and
 * other hosts word it), or undefined when the reason names nobody.
 */
export function holderFromReason(reason: string | undefined): string | undefined {
  // The name ends at ';', at a sentence end ('. '), or with the line (an address keeps its dots).
  const m = /^\s*(?:locked|checked out|in use) by ([^;\n]+?)(?:;|\.\s|\.?(?:\n|$))/i.exec(reason ?? '');
  const name = m?.[1]?.trim();
  return name ? name : undefined;
}

const TEXT_EXTS = new Set(['txt', 'md', 'csv', 'json', 'wopitest', 'xml', 'log']);

export function editStamp(now: number): string {
  return `Edited by the WOPI Workbench simulator at ${new Date(now).toISOString()}`;
}

export function createClientSession(deps: SessionDeps, opts: SessionOptions) {
  const misbehave = new Set(opts.misbehave ?? []);
  const wopiSessionId = randomUUID();
  const steps: SessionStep[] = [];
  const editing = opts.action === 'edit' || opts.action === 'editnew';
  let lockId: string | null = null;
  let info: Record<string, unknown> | null = null;
  let bytes: Buffer | null = null;
  let ext = '';
  let state: SessionState = 'opening';
  let message = 'Opening…';
  let lockedBy: LockedBy | undefined;
  let lastSave: SaveAttempt | undefined;

  const fileName = (): string =>
    info && typeof info['BaseFileName'] === 'string' ? info['BaseFileName'] : 'the file';
  const userName = (): string =>
    info && typeof info['UserFriendlyName'] === 'string' ? info['UserFriendlyName'] : '';
  const failed = (why: string): void => {
    state = 'failed';
    message = why;
  };
  /** The last step's answer in one phrase ('Lock → 500: proof failed'). */
  const lastAnswer = (): string => {
    const st = steps[steps.length - 1];
    if (!st) return 'no request was sent';
    if (st.error) return `${st.operation} failed: ${st.error}`;
    return `${st.operation} answered ${st.status}${st.serverError ? `: ${st.serverError}` : ''}`;
  };

  async function call(
    operation: string,
    method: 'GET' | 'POST',
    suffix: string,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): Promise<WopiReply | null> {
    const url = wopiUrl(opts.wopiSrc, suffix, opts.accessToken);
    const signUrl = opts.signAs ? rebase(url, opts.wopiSrc, opts.signAs) : undefined;
    const now = deps.clock();
    const correlationId = newCorrelationId();
    const step: SessionStep = { operation, method, status: 0, ok: false, proof: '', at: now, correlationId };
    steps.push(step);
    try {
      const { description, ...proof } = await proofHeaders({
        url,
        accessToken: opts.accessToken,
        now,
        keys: deps.keys(),
        misbehave,
        ...(signUrl ? { signUrl } : {}),
      });
      step.proof = description;
      const reply = await sendHttp({
        method,
        url,
        body,
        connect: deps.connect,
        headers: {
          Authorization: `Bearer ${opts.accessToken}`,
          'User-Agent': deps.userAgent,
          'X-WOPI-CorrelationId': correlationId,
          'X-WOPI-SessionId': wopiSessionId,
          'X-WOPI-RequestingApplication': 'WOPI Workbench simulator',
          ...(opts.headers ?? {}),
          ...proof,
          ...headers,
        },
      });
      step.status = reply.status;
      step.ok = reply.status >= 200 && reply.status < 300;
      const h = (name: string): string | undefined => {
        const v = reply.headers[name];
        return Array.isArray(v) ? v.join(', ') : v;
      };
      const lock = h(WopiHeader.lock);
      if (lock !== undefined) step.lock = lock;
      const version = h(WopiHeader.itemVersion);
      if (version !== undefined) step.itemVersion = version;
      const serverError = h(WopiHeader.serverError);
      if (serverError !== undefined) step.serverError = serverError;
      const reason = h(WopiHeader.lockFailureReason);
      if (reason !== undefined) step.lockFailureReason = reason;
      if (!step.ok && expectedFailure(operation, reply.status)) step.expected = true;
      return reply;
    } catch (err) {
      step.error = err instanceof Error ? err.message : String(err);
      return null;
    }
  }

  function expectedFailure(operation: string, status: number): boolean {
    if (status === 409 && misbehave.has('wrong-lock') && operation === 'PutFile') return true;
    const rejects = [
      'expired-timestamp',
      'wrong-url',
      'unsigned',
      'bad-signature',
      'proofold-old-key',
    ] as const;
    return status === 500 && rejects.some((m) => misbehave.has(m));
  }

  const lockHeader = (id: string): Record<string, string> => ({ 'X-WOPI-Lock': id });

  async function open(): Promise<{
    ok: boolean;
    info: Record<string, unknown> | null;
    content: SessionContent;
    state: SessionState;
    message: string;
    lockedBy?: LockedBy;
  }> {
    const result = (ok: boolean, content: SessionContent = { kind: 'none' }) => ({
      ok,
      info,
      content,
      state,
      message,
      ...(lockedBy ? { lockedBy } : {}),
    });
    state = 'opening';
    const cfi = await call('CheckFileInfo', 'GET', '');
    if (!cfi || cfi.status !== 200) {
      failed(`Cannot open the file: ${lastAnswer()}.`);
      return result(false);
    }
    try {
      info = JSON.parse(cfi.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      info = null;
      failed('Cannot open the file: CheckFileInfo did not answer JSON.');
      return result(false);
    }
    const name = typeof info['BaseFileName'] === 'string' ? info['BaseFileName'] : '';
    const fileExt =
      typeof info['FileExtension'] === 'string' ? info['FileExtension'] : name.slice(name.lastIndexOf('.'));
    ext = fileExt.replace(/^\./, '').toLowerCase();
    const kind = officeKindOf(ext);
    // Create-new: Office writes its template with an unlocked PutFile when Size is 0 (§10.6).
    if (opts.action === 'editnew' && info['Size'] === 0 && kind) {
      const put = await call(
        'PutFile',
        'POST',
        '/contents',
        { 'X-WOPI-Override': 'PUT' },
        blankDocument(kind),
      );
      if (!put?.status || put.status >= 300) {
        failed(`Cannot create the new document: ${lastAnswer()}.`);
        return result(false);
      }
    }
    let readOnly = false;
    if (editing && info['UserCanWrite'] === true && info['SupportsLocks'] === true) {
      // A co-author joins with the lock id the edit already runs under: the host treats it as a refresh.
      const id = opts.joinLockId ?? JSON.stringify({ S: randomUUID(), F: 4 });
      const locked = await call('Lock', 'POST', '', { 'X-WOPI-Override': 'LOCK', ...lockHeader(id) });
      if (locked?.status === 409) {
        // Office's answer to a lock held elsewhere: open read-only and say who has it (not a dead end).
        const st = steps[steps.length - 1]!;
        const holder = holderFromReason(st.lockFailureReason);
        lockedBy = {
          lockId: st.lock ?? '',
          ...(holder ? { holder } : {}),
          ...(st.lockFailureReason ? { reason: st.lockFailureReason } : {}),
        };
        readOnly = true;
      } else if (locked?.status !== 200) {
        failed(`Cannot edit the file: ${lastAnswer()}.`);
        return result(false);
      } else lockId = id;
    }
    const got = await call('GetFile', 'GET', '/contents');
    if (got?.status !== 200) {
      failed(`Cannot read the file: ${lastAnswer()}.`);
      return result(false);
    }
    bytes = got.body;
    if (readOnly) {
      state = 'read-only';
      message = `${lockedBy?.holder ?? 'Someone else'} is editing ${fileName()}. You can view it read-only.`;
    } else if (lockId) {
      state = 'editing';
      message = opts.joinLockId
        ? `Editing ${fileName()} together with others (co-authoring).`
        : `Editing ${fileName()}.`;
    } else {
      state = 'viewing';
      message =
        editing && info['UserCanWrite'] !== true
          ? `${fileName()} is view-only for ${userName() || 'this user'} (UserCanWrite is not true).`
          : `Viewing ${fileName()}.`;
    }
    return result(true, describe(bytes));
  }

  function describe(data: Buffer): SessionContent {
    const kind = officeKindOf(ext);
    if (kind) {
      try {
        return { kind: 'office', summary: summarizeOfficeFile(kind, data) };
      } catch {
        return { kind: 'binary', size: data.length };
      }
    }
    const text = data.toString('utf8');
    const looksText = !text.includes('\u0000') && !text.includes('\ufffd');
    return TEXT_EXTS.has(ext) || (looksText && data.length < 1024 * 1024)
      ? { kind: 'text', text }
      : { kind: 'binary', size: data.length };
  }

  /** The simulator's default edit: a stamped line, paragraph, row or text box. */
  function defaultEdit(current: Buffer): Buffer {
    const stamp = editStamp(deps.clock());
    const kind = officeKindOf(ext);
    if (kind) return editOfficeFile(kind, current, stamp, new Date(deps.clock())).bytes;
    if (describe(current).kind === 'text') {
      const text = current.toString('utf8');
      return Buffer.from(`${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${stamp}\n`, 'utf8');
    }
    return current;
  }

  /**
   * PutFile (with the session's lock, or a wrong one when asked), then RefreshLock. Read-only, it
   * still sends the PutFile, with no lock, so the host's refusal (409 and the holder's lock) is seen.
   */
  async function save(
    newText?: string,
  ): Promise<{ ok: boolean; content: SessionContent; state: SessionState; message: string }> {
    const done = (ok: boolean) => ({ ok, content: describe(bytes ?? Buffer.alloc(0)), state, message });
    if (!bytes) {
      message = 'Nothing to save: the file is not open.';
      return { ok: false, content: { kind: 'none' }, state, message };
    }
    let next: Buffer;
    try {
      next = newText !== undefined ? Buffer.from(newText, 'utf8') : defaultEdit(bytes);
    } catch (e) {
      // A file named .docx/.xlsx/.pptx that is not one: Office could not edit it either, so nothing is sent.
      const why = e instanceof Error ? e.message : String(e);
      message = `Cannot edit this file: it is not a valid .${ext} (${why}). Save with a text body instead.`;
      return done(false);
    }
    const sentLock = misbehave.has('wrong-lock')
      ? JSON.stringify({ S: `wrong-${randomUUID()}`, F: 4 })
      : lockId;
    const own = info && typeof info['UserId'] === 'string' ? [info['UserId']] : [];
    const editors = [...new Set([...own, ...(opts.coEditors?.() ?? [])])];
    const put = await call(
      'PutFile',
      'POST',
      '/contents',
      {
        'X-WOPI-Override': 'PUT',
        ...(sentLock ? lockHeader(sentLock) : {}),
        ...(editors.length ? { 'X-WOPI-Editors': editors.join(',') } : {}),
      },
      next,
    );
    const step = steps[steps.length - 1]!;
    const saved = put?.status === 200;
    lastSave = {
      ok: saved,
      status: step.status,
      ...(step.lock !== undefined ? { lock: step.lock } : {}),
      ...(step.lockFailureReason ? { reason: step.lockFailureReason } : {}),
    };
    if (saved) {
      bytes = next;
      message = `Saved ${fileName()}.`;
    } else if (step.status === 409) {
      const holder = holderFromReason(step.lockFailureReason) ?? lockedBy?.holder;
      message =
        `Save rejected: the host answered 409 (lock conflict)` +
        `${holder ? `; ${holder} holds the lock` : ''}` +
        `${step.lock ? ` (X-WOPI-Lock: ${step.lock})` : ''}` +
        `${step.lockFailureReason ? `. ${step.lockFailureReason}` : ''}`;
    } else message = `Save failed: ${lastAnswer()}.`;
    if (lockId)
      await call('RefreshLock', 'POST', '', { 'X-WOPI-Override': 'REFRESH_LOCK', ...lockHeader(lockId) });
    return done(saved);
  }

  /** RenameFile (needs the lock when locked); returns the new base name without extension. */
  async function rename(requestedName: string): Promise<{ ok: boolean; name?: string }> {
    const reply = await call('RenameFile', 'POST', '', {
      'X-WOPI-Override': 'RENAME_FILE',
      'X-WOPI-RequestedName': encodeUtf7(requestedName),
      'X-WOPI-Lock': lockId ?? '',
    });
    if (reply?.status !== 200) return { ok: false };
    try {
      const body = JSON.parse(reply.body.toString('utf8')) as { Name?: unknown };
      return { ok: true, name: typeof body.Name === 'string' ? body.Name : requestedName };
    } catch {
      return { ok: true, name: requestedName };
    }
  }

  /**
   * Unlock and end the session. A co-author that is not the last one out leaves without Unlock
   * (`unlock: false`): the edit goes on under the same lock (PROTOCOL §11).
   */
  async function close(how: { unlock?: boolean } = {}): Promise<{ ok: boolean }> {
    if (!lockId || how.unlock === false) {
      lockId = null;
      state = 'closed';
      message = `Closed ${fileName()}.`;
      return { ok: true };
    }
    const reply = await call('Unlock', 'POST', '', { 'X-WOPI-Override': 'UNLOCK', ...lockHeader(lockId) });
    if (reply?.status === 200) {
      lockId = null;
      state = 'closed';
      message = `Closed ${fileName()}.`;
    } else message = `Close: ${lastAnswer()}.`;
    return { ok: reply?.status === 200 };
  }

  return {
    open,
    save,
    rename,
    close,
    steps: (): readonly SessionStep[] => steps,
    info: () => info,
    lockId: () => lockId,
    state: (): SessionState => state,
    message: (): string => message,
    lockedBy: (): LockedBy | undefined => lockedBy,
    lastSave: (): SaveAttempt | undefined => lastSave,
    extension: () => ext,
    content: (): Buffer | null => bytes,
  };
}

export type ClientSession = ReturnType<typeof createClientSession>;

/** `url` with the origin of `wopiSrc` replaced by the origin of `base` (a proxy's view of the URL). */
function rebase(url: string, wopiSrc: string, base: string): string {
  return `${new URL(base).origin}${url.slice(new URL(wopiSrc).origin.length)}`;
}
