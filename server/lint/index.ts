// The protocol linter room: pure, records in, findings out (server/lint/linter.ts).
export { createLinter } from './linter';
export type { Linter, LinterOptions } from './linter';
export { RULES } from './rules';
export type { LintRule } from './types';
export { createLockTracker, lockShownBy, LOCK_CHANGERS, setsOrShowsLock } from './traffic-locks';
export type { LockTracker, WireLock } from './traffic-locks';
export { rulesMarkdown } from './doc';
