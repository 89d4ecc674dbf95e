// Typed storage errors: callers switch on `code`, never on message text. `fromFs` is the one place
// an fs errno becomes a code, so a race (ENOENT), a name (ENAMETOOLONG) or a folder in the way (EISDIR)
// reaches the protocol layer as what it means instead of an unexplained I/O failure.
export type StorageErrorCode =
  | 'not-found'
  | 'outside-folder'
  | 'exists'
  | 'invalid-name'
  | 'too-large'
  | 'aborted'
  | 'timeout'
  | 'denied'
  | 'io';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

const ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ENOENT: 'not-found',
  ENOTDIR: 'not-found',
  EEXIST: 'exists',
  EISDIR: 'exists',
  ENOTEMPTY: 'exists',
  ENAMETOOLONG: 'invalid-name',
  EACCES: 'denied',
  EPERM: 'denied',
  EROFS: 'denied',
  ENOSPC: 'io',
  EDQUOT: 'io',
  EIO: 'io',
};

const REASON: Readonly<Record<string, string>> = {
  ENOENT: 'it is no longer there',
  ENOTDIR: 'a folder on its path is no longer there',
  EEXIST: 'something with that name is in the way',
  EISDIR: 'a folder with that name is in the way',
  ENOTEMPTY: 'a folder with that name is in the way',
  ENAMETOOLONG: 'the name or path is too long for the file system',
  EACCES: 'permission denied (check the permissions of the served folder)',
  EPERM: 'not permitted (check the permissions of the served folder)',
  EROFS: 'the served folder is on a read-only file system',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
};

/** True when `e` is a file-system failure (an errno we know), as opposed to, say, a dropped connection. */
export const isFsError = (e: unknown): boolean => {
  const errno = (e as NodeJS.ErrnoException | null)?.code;
  return typeof errno === 'string' && Object.hasOwn(ERRNO, errno);
};

/** An fs failure as a typed error; `what` says what was being done ("cannot rename a.docx"). */
export function fromFs(e: unknown, what: string): StorageError {
  if (e instanceof StorageError) return e;
  const errno = (e as NodeJS.ErrnoException | null)?.code;
  const known = typeof errno === 'string' && Object.hasOwn(ERRNO, errno);
  const code = known ? ERRNO[errno]! : 'io';
  const reason = (known && REASON[errno]) || errno || (e instanceof Error ? e.message : String(e));
  return new StorageError(code, `${what}: ${reason}`, e);
}
