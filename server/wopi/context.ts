// What a WOPI handler gets: the verified caller, the resolved file, and the engine services.
import type { IncomingMessage } from 'node:http';
import type { BodySummary, LockView, Permission } from '../contracts/api';
import type { TokenClaims, TokenService } from '../auth/tokens';
import type { FileIndex, FreshFile } from '../storage/file-index';
import type { Kv } from '../state/kv';
import type { LockService } from './lock-service';

export interface WopiDeps {
  index: FileIndex;
  locks: LockService;
  tokens: TokenService;
  kv: Kv;
  now: () => number;
  /** Public base URL (tunnel, reverse proxy, or local), no trailing slash. */
  publicBase: () => string;
  tokenTtlMs: number;
  maxUploadBytes: number;
  /** A request body with no byte for this long is cut (408). */
  bodyIdleMs: number;
  logBodyInlineBytes: number;
  /** Host page URLs for CheckFileInfo / PutRelativeFile, when the host page is available. */
  hostUrls?: (
    fileId: string,
    claims: TokenClaims,
  ) => { view?: string; edit?: string; close?: string; origin?: string };
  /** Told whenever a URL carrying the public base was handed out (to flag stale URLs on change). */
  urlsIssued?: () => void;
}

/** Facts a handler adds to the request record. */
export interface RecordNotes {
  lockBefore?: string | null;
  lockAfter?: string | null;
  requestBody?: BodySummary;
  responseBody?: BodySummary;
  fileId?: string;
  filePath?: string;
}

export interface WopiContext {
  req: IncomingMessage;
  deps: WopiDeps;
  claims: TokenClaims;
  file: FreshFile;
  notes: RecordNotes;
}

export const lockIdOf = (l: LockView | null): string | null => (l ? l.lockId : null);

/** Does the token grant `needed`? Edit includes view. */
export const grants = (claims: TokenClaims, needed: Permission): boolean =>
  needed === 'view' || claims.permissions === 'edit';
