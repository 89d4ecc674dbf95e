// Defects known on this branch (issue 9), each with a matcher over violations, so the chaos tests can
// keep those under a node:test `todo` while anything else still fails. When a fix lands, its todo
// test starts passing; then remove the entry and the todo.
import type { Violation } from './checks';
import { NAME_MAX_BYTES, utf8Bytes } from './inputs';
import type { FuzzReport } from './run-fuzz';

export interface KnownDefect {
  id: string;
  /** The node:test todo text. */
  todo: string;
  matches(v: Violation, report?: FuzzReport): boolean;
}

const serverError = (v: Violation): boolean =>
  v.kind === '5xx' || v.kind === 'log-5xx' || v.kind === 'warning';

/** The file name a logged "cannot create <path>" failure was about. */
const createdName = (message: string): string | undefined =>
  /cannot create (?:[^"]*\/)?([^/"]+)/.exec(message)?.[1];

export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    id: 'byte-length-names',
    todo: 'issue 9: a name within 250 characters but over 255 UTF-8 bytes answers 500 (ENAMETOOLONG)',
    matches: (v) => {
      if (v.kind === 'protocol' && /ValidRelativeTarget suggests a name of \d+ UTF-8 bytes/.test(v.message))
        return true;
      if (!serverError(v)) return false;
      if (v.case && (v.case.op === 'RenameFile' || v.case.op === 'PutRelativeFile'))
        return (v.case.nameBytes ?? 0) > NAME_MAX_BYTES;
      const name = createdName(v.message);
      return name !== undefined && utf8Bytes(name) > NAME_MAX_BYTES;
    },
  },
  {
    id: 'concurrent-renames',
    todo: 'issue 9: RenameFile racing another RenameFile of the same file answers 500 (stale path)',
    matches: (v) =>
      serverError(v) &&
      /cannot rename/.test(v.message) &&
      (v.case === undefined || (v.case.op === 'RenameFile' && (v.case.nameBytes ?? 0) <= NAME_MAX_BYTES)),
  },
  {
    id: 'read-during-rename-404',
    todo: 'found by chaos (issue 9): a read racing a RenameFile of a file in a sub-folder marks it deleted (404 until the watcher re-adds it)',
    matches: (v, report) => {
      const c = v.case;
      // After the traffic, the listing lags behind the disk until the watcher re-adds the file.
      if (v.kind === 'index' && /only \d+ ms after the traffic stopped/.test(v.message))
        return report?.cases.some((o) => o.op === 'RenameFile') ?? false;
      if (v.kind !== 'status' || v.status !== 404 || !c?.file || c.file.kind !== 'content' || !report)
        return false;
      if (!c.file.label.includes('/') || !/deleted, or never served here/.test(v.message)) return false;
      // Only content files are never deleted; a rename of this one must have been under way or done.
      const end = report.timing.get(c.n)?.end ?? Infinity;
      return report.cases.some(
        (o) =>
          o.op === 'RenameFile' &&
          o.file?.id === c.file!.id &&
          (report.timing.get(o.n)?.start ?? Infinity) < end,
      );
    },
  },
  {
    id: 'getfile-open-race-500',
    todo: 'found by chaos (issue 9): GetFile racing a RenameFile or DeleteFile answers 500 (ENOENT opening the old path)',
    matches: (v) =>
      serverError(v) && /could not send the response|ENOENT: no such file or directory, open/.test(v.message),
  },
  {
    id: 'put-relative-overwrite-race',
    todo: 'found by chaos (issue 9): PutRelativeFile overwriting a target renamed/deleted/replaced during its upload answers 500 ("could not keep the previous version") and leaves its temp file',
    matches: (v, report) =>
      (serverError(v) && /could not keep the previous version/.test(v.message)) ||
      (v.kind === 'temp-files' &&
        (report?.violations.some((x) => /could not keep the previous version/.test(x.message)) ?? false)),
  },
  {
    id: 'slow-upload-blocking',
    todo: 'issue 9: a PutFile whose body stalls holds the file, so other writers to it wait as long as the stall',
    matches: (v, report) => {
      if (v.kind !== 'unanswered' || !v.case?.file || !report) return false;
      const t = report.timing.get(v.case.n);
      const id = v.case.file.id;
      return report.stalls.some(
        (s) => s.fileId === id && t !== undefined && s.from < t.end && t.start < s.to,
      );
    },
  },
];

/** Secret leaks and console problems (chaos-secrets, and the scan at the end of chaos-fuzz). */
const OUTPUT_DEFECTS: readonly KnownDefect[] = [
  {
    id: 'secrets-proof-url',
    todo: 'issue 9 (secrets redaction): every request record keeps the access token in clear in proof.urlVerified, shown by GET /v1/requests, /v1/requests/:id and the SSE stream',
    matches: (v) =>
      v.kind === 'secret' && /access token/.test(v.message) && /urlVerified|wouldVerifyWith/.test(v.message),
  },
  {
    id: 'secrets-launch-links',
    todo: 'found by chaos (issue 9, secrets redaction): launch links (l=…) in logged CheckFileInfo/PutRelativeFile bodies (HostViewUrl, HostEditUrl) are not redacted in /v1/requests and SSE',
    matches: (v) => v.kind === 'secret' && /^(signature of )?launch link/.test(v.message),
  },
];

export const ALL_DEFECTS: readonly KnownDefect[] = [...KNOWN_DEFECTS, ...OUTPUT_DEFECTS];

export function knownDefectOf(v: Violation, report?: FuzzReport): KnownDefect | undefined {
  return ALL_DEFECTS.find((d) => d.matches(v, report));
}

/** Violations no known defect explains: these fail the suite. */
export const unexplained = (vs: readonly Violation[], report?: FuzzReport): Violation[] =>
  vs.filter((v) => knownDefectOf(v, report) === undefined);

/** A storm rule known to be broken: the storm findings with these tags. */
export interface KnownStormDefect {
  id: string;
  todo: string;
  tags: readonly string[];
}

export const KNOWN_STORM_DEFECTS: readonly KnownStormDefect[] = [
  {
    id: 'concurrent-renames',
    todo: 'issue 9: RenameFile racing another RenameFile of the same file answers 500 (stale path)',
    tags: ['rename-5xx', 'rename-end'],
  },
  {
    id: 'version-double-bump',
    todo: 'issue 9: a PutFile under concurrent CheckFileInfo bumps Version more than once',
    tags: ['version-ghost', 'version-count'],
  },
  {
    id: 'slow-upload-blocking',
    todo: 'issue 9: a PutFile whose body stalls holds the file, so other writers to it wait as long as the stall',
    tags: ['stall-blocks-unanswered'],
  },
  {
    id: 'read-during-rename-404',
    todo: 'found by chaos (issue 9): a read racing a RenameFile of a file in a sub-folder marks it deleted (404 until the watcher re-adds it)',
    tags: [
      'reader-getfile-status',
      'reader-checkfileinfo-status',
      'read-race-rename-status',
      'rename-end-unlisted',
    ],
  },
  {
    id: 'getfile-open-race-500',
    todo: 'found by chaos (issue 9): GetFile racing a RenameFile or DeleteFile answers 500 (ENOENT opening the old path)',
    tags: ['reader-getfile-5xx', 'read-race-rename-5xx', 'read-race-delete-5xx'],
  },
  {
    id: 'put-relative-overwrite-race',
    todo: 'found by chaos (issue 9): PutRelativeFile overwriting a target renamed/deleted/replaced during its upload answers 500 ("could not keep the previous version") and leaves its temp file',
    tags: ['overwrite-race-5xx', 'overwrite-race-temps'],
  },
];
