// File rules: what CheckFileInfo and PutRelativeFile answer (PROTOCOL §4, §6.1), Version moving on
// every save (§7), and GetFile's size limit (§3.2).
import { WopiHeader } from '../../protocol/headers';
import { CHECKFILEINFO_REQUIRED, CHECKFILEINFO_TYPES } from '../checkfileinfo-properties';
import type { PropertyType } from '../checkfileinfo-properties';
import { is2xx } from '../exchange';
import type { Exchange } from '../exchange';
import type { LintRule } from '../types';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The CheckFileInfo body of a 2xx, when there is one to read (not cut at the log's inline limit). */
function checkFileInfoBody(x: Exchange): Record<string, unknown> | undefined {
  if (x.op !== 'CheckFileInfo' || !is2xx(x.status)) return undefined;
  const b = x.json();
  return b.kind === 'ok' && isObject(b.value) ? b.value : undefined;
}

function fits(v: unknown, t: PropertyType): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0;
    case 'string[]':
      return Array.isArray(v) && v.every((e) => typeof e === 'string');
  }
}

const TYPE_WORDS: Record<PropertyType, string> = {
  string: 'a string',
  boolean: 'a Boolean',
  integer: 'a whole number ≥ 0',
  'string[]': 'an array of strings',
};

const list = (names: string[]): string => names.join(', ');

const notJson: LintRule = {
  id: 'checkfileinfo-not-json',
  severity: 'error',
  doc: 'CheckFileInfo answers 200 with a JSON object.',
  cite: 'PROTOCOL.md §1.4, §3.1',
  check({ x }) {
    if (x.op !== 'CheckFileInfo' || !is2xx(x.status)) return undefined;
    const b = x.json();
    if (b.kind === 'truncated') return undefined;
    if (b.kind === 'ok' && isObject(b.value)) return undefined;
    const what =
      b.kind === 'none'
        ? 'no body'
        : b.kind === 'invalid'
          ? 'a body that is not JSON'
          : 'JSON that is not an object';
    return `CheckFileInfo answered 200 with ${what}: Office cannot read the file's properties and refuses to open it.`;
  },
};

const required: LintRule = {
  id: 'checkfileinfo-required-property',
  severity: 'error',
  doc: 'CheckFileInfo carries BaseFileName, OwnerId, Size, UserId (unless IsAnonymousUser) and Version.',
  cite: 'PROTOCOL.md §4.1; PITFALLS.md #21',
  check({ x }) {
    const body = checkFileInfoBody(x);
    if (!body) return undefined;
    const missing = CHECKFILEINFO_REQUIRED.filter(
      (k) => body[k] === undefined && !(k === 'UserId' && body['IsAnonymousUser'] === true),
    );
    if (missing.length === 0) return undefined;
    return `CheckFileInfo lacks ${list(missing)}: Office needs every required property and will not open the file without them.`;
  },
};

const types: LintRule = {
  id: 'checkfileinfo-property-type',
  severity: 'error',
  doc: 'Every CheckFileInfo property has its documented type (Version a string, Size an integer, Booleans true/false) and none is null.',
  cite: 'PROTOCOL.md §1.4, §4; PITFALLS.md #21',
  check({ x }) {
    const body = checkFileInfoBody(x);
    if (!body) return undefined;
    const wrong: string[] = [];
    for (const [k, v] of Object.entries(body)) {
      const t = CHECKFILEINFO_TYPES[k];
      if (v === null) wrong.push(`${k} is null (omit it instead)`);
      else if (t && !fits(v, t))
        wrong.push(`${k} is ${JSON.stringify(v).slice(0, 40)}, not ${TYPE_WORDS[t]}`);
    }
    if (wrong.length === 0) return undefined;
    return `CheckFileInfo has mistyped properties (${wrong.join('; ')}): Office misreads them (a numeric Version or a string Size breaks saving and the view cache) and the validator's schema test fails.`;
  },
};

const friendlyName: LintRule = {
  id: 'checkfileinfo-no-friendly-name',
  severity: 'warning',
  doc: 'CheckFileInfo carries UserFriendlyName (the 2019 validator schema requires it).',
  cite: 'PROTOCOL.md §4.1, §4.3; PITFALLS.md #24',
  check({ x }) {
    const body = checkFileInfoBody(x);
    if (!body || body['UserFriendlyName'] !== undefined) return undefined;
    return 'CheckFileInfo has no UserFriendlyName: Office shows this user as "Guest" to co-authors, and the validator schema test fails.';
  },
};

const putRelative: LintRule = {
  id: 'put-relative-missing-name-url',
  severity: 'error',
  doc: 'PutRelativeFile answers 200 with JSON Name (the new file name) and Url (its WOPISrc with an access token).',
  cite: 'PROTOCOL.md §6.1; PITFALLS.md #18',
  check({ x }) {
    if (x.op !== 'PutRelativeFile' || !is2xx(x.status)) return undefined;
    const b = x.json();
    if (b.kind === 'truncated') return undefined;
    const body = b.kind === 'ok' && isObject(b.value) ? b.value : {};
    const missing = ['Name', 'Url'].filter((k) => typeof body[k] !== 'string' || body[k] === '');
    if (missing.length === 0) return undefined;
    return `PutRelativeFile answered 200 without ${missing.join(' or ')}: Office cannot name or open the new file, so Save As and conversions fail.`;
  },
};

const versionUnchanged: LintRule = {
  id: 'version-unchanged-after-putfile',
  severity: 'error',
  doc: 'A successful PutFile changes the Version: the X-WOPI-ItemVersion it answers (or the next CheckFileInfo) differs from the Version before it.',
  cite: 'PROTOCOL.md §3.8, §7; PITFALLS.md #22',
  check({ x, before }) {
    if (x.op === 'PutFile' && is2xx(x.status)) {
      const after = x.resHeader(WopiHeader.itemVersion);
      if (after === undefined || before.version === undefined || after !== before.version) return undefined;
      return `PutFile succeeded but X-WOPI-ItemVersion is still ${JSON.stringify(after)}, the Version before the save: Office keeps showing the old content (its view cache keys on Version) and may not see the save at all.`;
    }
    const put = before.unconfirmedPut;
    if (x.op !== 'CheckFileInfo' || !is2xx(x.status) || !put) return undefined;
    const v = checkFileInfoBody(x)?.['Version'];
    if (v !== put.before) return undefined;
    return `Version is still ${JSON.stringify(v)} after a successful PutFile: Office keeps showing the old content (its view cache keys on Version) and may not see the save at all.`;
  },
};

const maxExpectedSize: LintRule = {
  id: 'max-expected-size-ignored',
  severity: 'error',
  doc: 'GetFile of a file larger than X-WOPI-MaxExpectedSize answers 412, not the bytes.',
  cite: 'PROTOCOL.md §3.2, §1.6',
  check({ x }) {
    if (x.op !== 'GetFile' || !is2xx(x.status)) return undefined;
    const raw = x.reqHeader(WopiHeader.maxExpectedSize)?.trim();
    if (!raw || !/^\d+$/.test(raw)) return undefined;
    const announced = x.resHeader('content-length');
    const size =
      announced !== undefined && /^\d+$/.test(announced) ? Number(announced) : x.rec.responseBody?.size;
    if (size === undefined || size <= Number(raw)) return undefined;
    return `GetFile sent ${size} bytes although X-WOPI-MaxExpectedSize was ${raw}: 412 is due, and Office, which cannot handle a file that large, fails after downloading it.`;
  },
};

export const FILE_RULES: readonly LintRule[] = [
  notJson,
  required,
  types,
  friendlyName,
  putRelative,
  versionUnchanged,
  maxExpectedSize,
];
