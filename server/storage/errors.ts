// Typed storage errors: callers switch on `code`, never on message text.
export type StorageErrorCode =
  'not-found' | 'outside-folder' | 'exists' | 'invalid-name' | 'too-large' | 'aborted' | 'io';

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
