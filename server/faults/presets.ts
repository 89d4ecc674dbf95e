// Named faults, each reproducing one documented Office-for-the-web situation. Each says what Office
// does when a host answers that way, what the matching requests get, and where it is documented
// (Microsoft's CSPP pages, or the WOPI protocol digest's section and the Microsoft source it
// summarizes). docs/FAULTS.md is written from this table (scripts/faults-doc.ts; a test keeps it current).
import type { FaultPresetView } from '../contracts/lab';

const CSPP = 'https://learn.microsoft.com/en-us/microsoft-365/cloud-storage-partner-program';
const DOCS_REPO = 'https://github.com/Microsoft/Office-Online-Test-Tools-and-Documentation/blob/master/docs';

/** A lock id in the shape Office's own locks take (PROTOCOL §5.1), held by a session that is not ours. */
export const FOREIGN_LOCK =
  '{"S":"0f5c2d1e-7a4b-4c3d-9e8f-b0b0b0b0b0b0","E":2,"M":"WORKBENCH-OTHER","P":"7D3F1C2B-OTHER-SESSION"}';

export const FAULT_PRESETS: readonly FaultPresetView[] = [
  {
    id: 'lock-held-elsewhere',
    title: 'Lock held by another session',
    officeBehaviour:
      'Every lock operation and every save meets a lock mismatch: the client reads the current lock from X-WOPI-Lock of the 409 and cannot take or use a lock of its own, so it cannot edit or save.',
    response:
      'Lock, RefreshLock, Unlock, UnlockAndRelock, PutFile → 409, X-WOPI-Lock: a foreign Office-style lock, X-WOPI-LockFailureReason',
    source: { title: 'Lock (CSPP REST reference)', url: `${CSPP}/rest/files/lock` },
    rule: {
      name: 'Lock held by another session',
      preset: 'lock-held-elsewhere',
      match: { operations: ['Lock', 'RefreshLock', 'Unlock', 'UnlockAndRelock', 'PutFile'] },
      fire: { mode: 'every' },
      effect: {
        kind: 'status',
        status: 409,
        lock: FOREIGN_LOCK,
        lockFailureReason: 'The file is locked by another editing session',
      },
    },
  },
  {
    id: 'token-expired',
    title: 'Token expired mid-edit',
    officeBehaviour:
      'Every call is refused as carrying an invalid access token, as when the token the host page posted has expired: the session can no longer save and Office reports the session as expired.',
    response: 'every operation → 401',
    source: {
      title: 'WOPI protocol digest §1.6 and §10.5 (Online docs build_test_ship/common_issues.rst)',
      url: `${DOCS_REPO}/online/src/build_test_ship/common_issues.rst`,
    },
    rule: {
      name: 'Token expired mid-edit',
      preset: 'token-expired',
      fire: { mode: 'every' },
      effect: { kind: 'status', status: 401 },
    },
  },
  {
    id: 'file-too-large',
    title: 'File too large to save',
    officeBehaviour:
      'The host refuses the saved file as larger than its limit (the limit is host-specific): the save fails and the file keeps its previous content.',
    response: 'PutFile → 413',
    source: {
      title: 'PutFile (CSPP REST reference); WOPI protocol digest §3.8',
      url: `${CSPP}/rest/files/putfile`,
    },
    rule: {
      name: 'File too large to save',
      preset: 'file-too-large',
      match: { operations: ['PutFile'] },
      fire: { mode: 'every' },
      effect: { kind: 'status', status: 413 },
    },
  },
  {
    id: 'host-unavailable-on-save',
    title: 'Host unavailable during save',
    officeBehaviour:
      'The host is briefly unavailable when the client saves: the save fails with 503 and a Retry-After; nothing is written, and the next auto-save (Word: every 30 s while the document changes) tries again.',
    response: 'PutFile → 503, Retry-After: 30',
    source: {
      title: 'RFC 9110 §15.6.4 503 Service Unavailable; WOPI protocol digest §11 (auto-save)',
      url: 'https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable',
    },
    rule: {
      name: 'Host unavailable during save',
      preset: 'host-unavailable-on-save',
      match: { operations: ['PutFile'] },
      fire: { mode: 'every' },
      effect: { kind: 'status', status: 503, retryAfterSeconds: 30 },
    },
  },
  {
    id: 'server-error-on-save',
    title: 'Server error on save',
    officeBehaviour:
      'The host fails while saving: 500 with the free-text X-WOPI-ServerError a host should send with every 500 (for logs only); the save fails and nothing is written.',
    response: 'PutFile → 500, X-WOPI-ServerError',
    source: {
      title: 'WOPI protocol digest §1.5 (REST docs common_headers.rst)',
      url: `${DOCS_REPO}/rest/src/common_headers.rst`,
    },
    rule: {
      name: 'Server error on save',
      preset: 'server-error-on-save',
      match: { operations: ['PutFile'] },
      fire: { mode: 'every' },
      effect: { kind: 'status', status: 500, serverError: 'Storage back end failed while writing the file' },
    },
  },
  {
    id: 'file-changed-elsewhere',
    title: 'File changed behind the editor’s back',
    officeBehaviour:
      'CheckFileInfo reports a Version the client has not seen: Office keys its view cache by SHA256 or file id + Version, so a new Version means the file changed outside the session.',
    response: 'CheckFileInfo → 200, Version: "changed-elsewhere"',
    source: {
      title: 'WOPI protocol digest §7 and §11 (REST docs files/CheckFileInfo.rst)',
      url: `${CSPP}/rest/files/checkfileinfo/checkfileinfo-response`,
    },
    rule: {
      name: 'File changed behind the editor’s back',
      preset: 'file-changed-elsewhere',
      match: { operations: ['CheckFileInfo'] },
      fire: { mode: 'every' },
      effect: { kind: 'file-info', set: { Version: 'changed-elsewhere' } },
    },
  },
  {
    id: 'read-only-user',
    title: 'Read-only user',
    officeBehaviour:
      'CheckFileInfo says the user cannot write (UserCanWrite false, ReadOnly true): Office hides Edit in Browser and opens the file for viewing only.',
    response: 'CheckFileInfo → 200, UserCanWrite: false, ReadOnly: true',
    source: {
      title: 'CheckFileInfo response (CSPP REST reference); WOPI protocol digest §4.4',
      url: `${CSPP}/rest/files/checkfileinfo/checkfileinfo-response`,
    },
    rule: {
      name: 'Read-only user',
      preset: 'read-only-user',
      match: { operations: ['CheckFileInfo'] },
      fire: { mode: 'every' },
      effect: { kind: 'file-info', set: { UserCanWrite: false, ReadOnly: true } },
    },
  },
  {
    id: 'locks-unsupported',
    title: 'Locks unsupported',
    officeBehaviour:
      'CheckFileInfo says the host has no locks (SupportsLocks false): Office for the web needs Lock, Unlock, RefreshLock and UnlockAndRelock to edit, so it offers viewing only.',
    response: 'CheckFileInfo → 200, SupportsLocks: false',
    source: {
      title: 'WOPI protocol digest §2 and §4.2 (Online docs wopi_requirements.rst)',
      url: `${DOCS_REPO}/online/src/build_test_ship/wopi_requirements.rst`,
    },
    rule: {
      name: 'Locks unsupported',
      preset: 'locks-unsupported',
      match: { operations: ['CheckFileInfo'] },
      fire: { mode: 'every' },
      effect: { kind: 'file-info', set: { SupportsLocks: false } },
    },
  },
  {
    id: 'file-not-found',
    title: 'File not found',
    officeBehaviour:
      'Every call answers 404 (resource not found, or the user not authorized): the client cannot open or save the file.',
    response: 'every operation → 404',
    source: {
      title: 'GetFile (CSPP REST reference); WOPI protocol digest §1.6',
      url: `${CSPP}/rest/files/getfile`,
    },
    rule: {
      name: 'File not found',
      preset: 'file-not-found',
      fire: { mode: 'every' },
      effect: { kind: 'status', status: 404 },
    },
  },
  {
    id: 'save-as-unsupported',
    title: 'Save As unsupported',
    officeBehaviour:
      'PutRelativeFile answers 501, as a host that does not implement Save As must (it should also set UserCanNotWriteRelative, which hides Save a Copy): the copy is not created.',
    response: 'PutRelativeFile → 501',
    source: {
      title: 'PutRelativeFile (CSPP REST reference); WOPI protocol digest §6.1',
      url: `${CSPP}/rest/files/putrelativefile`,
    },
    rule: {
      name: 'Save As unsupported',
      preset: 'save-as-unsupported',
      match: { operations: ['PutRelativeFile'] },
      fire: { mode: 'every' },
      effect: { kind: 'status', status: 501 },
    },
  },
  {
    id: 'slow-download',
    title: 'Slow download',
    officeBehaviour:
      'GetFile sends the file at 16 KB/s: Office for the web downloads with a 60-second timeout, so a large file fails to open while a small one opens slowly.',
    response: 'GetFile → 200, body at 16 KB/s',
    source: {
      title: 'WOPI protocol digest §3.2 (Online docs faq/file_sizes.rst)',
      url: `${DOCS_REPO}/online/src/faq/file_sizes.rst`,
    },
    rule: {
      name: 'Slow download',
      preset: 'slow-download',
      match: { operations: ['GetFile'] },
      fire: { mode: 'every' },
      effect: { kind: 'throttle', bytesPerSecond: 16 * 1024 },
    },
  },
  {
    id: 'download-cut',
    title: 'Download cut',
    officeBehaviour:
      'GetFile sends its headers and the first 1024 bytes, then the connection is cut: the client gets a truncated body and cannot open the file.',
    response: 'GetFile → 200 headers, 1024 body bytes, then the connection closes',
    source: {
      title: 'GetFile (CSPP REST reference): the body must be the full contents',
      url: `${CSPP}/rest/files/getfile`,
    },
    rule: {
      name: 'Download cut',
      preset: 'download-cut',
      match: { operations: ['GetFile'] },
      fire: { mode: 'next', count: 1 },
      effect: { kind: 'abort-body', afterBytes: 1024 },
    },
  },
  {
    id: 'upload-cut',
    title: 'Upload cut',
    officeBehaviour:
      'The host reads the first 1024 bytes of a save, then the connection is cut with no answer: the save fails and, as with a real network failure, the file keeps its previous content and version.',
    response: 'PutFile → no answer after 1024 body bytes; nothing written',
    source: {
      title: 'PutFile (CSPP REST reference); WOPI protocol digest §3.8',
      url: `${CSPP}/rest/files/putfile`,
    },
    rule: {
      name: 'Upload cut',
      preset: 'upload-cut',
      match: { operations: ['PutFile'] },
      fire: { mode: 'next', count: 1 },
      effect: { kind: 'abort-body', afterBytes: 1024 },
    },
  },
  {
    id: 'dropped-connection',
    title: 'Dropped connection',
    officeBehaviour:
      'The next call gets no answer at all: the connection closes as a failing network or a crashed host would close it, and the client sees a network error (a save is not written).',
    response: 'next call (any operation) → connection closed, no status',
    source: {
      title: 'WOPI protocol digest §11 (Office retries saves on its auto-save schedule)',
      url: `${DOCS_REPO}/online/src/scenarios/coauth.rst`,
    },
    rule: {
      name: 'Dropped connection',
      preset: 'dropped-connection',
      fire: { mode: 'next', count: 1 },
      effect: { kind: 'drop-connection' },
    },
  },
];

export const presetById = (id: string): FaultPresetView | undefined => FAULT_PRESETS.find((p) => p.id === id);
