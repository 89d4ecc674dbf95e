// Validator group CheckFileInfoSchema (wopi-validator-core TestCases.xml) and what the protocol adds
// about the CheckFileInfo response: JSON by Content-Type, Size and SHA256 that describe the bytes.
import { expectJson, expectStatus, expectThat } from '../expect';
import { fileInfoSchemaViolations } from '../file-info-schema';
import type { CheckGroup } from '../types';
import { INVALID_TOKEN, expectFileExtension, fileInfo, sha256Base64 } from './steps';

// The validator's HostUrls regex: an Office for the web address, never a host URL.
const OFFICE_URL = /^https:\/\/.*?\.officeapps(-df)?\.live\.com.+/;
const HOST_URLS = [
  'CloseUrl',
  'DownloadUrl',
  'FileSharingUrl',
  'FileUrl',
  'FileVersionUrl',
  'HostEditUrl',
  'HostEmbeddedViewUrl',
  'HostViewUrl',
  'SignInUrl',
  'SignoutUrl',
  'WorkflowUrl',
];
// Enough violations to act on, still one line.
const SHOWN_VIOLATIONS = 4;

export const checkFileInfoSchema: CheckGroup = {
  id: 'CheckFileInfoSchema',
  title: 'CheckFileInfo: the schema, host URLs, invalid tokens',
  requires: {},
  cases: [
    {
      name: 'FullCheckFileInfoSchema',
      title: "CheckFileInfo conforms to the validator's schema; BaseFileName is a full name",
      origin: 'validator',
      async run(ctx) {
        const { body, res } = await fileInfo(ctx);
        const errors = fileInfoSchemaViolations(body);
        const more = errors.length > SHOWN_VIOLATIONS ? ` (+${errors.length - SHOWN_VIOLATIONS} more)` : '';
        expectThat(
          errors.length === 0,
          res,
          'CheckFileInfo within the schema: its 68 properties, 6 required, typed, no nulls',
          errors.slice(0, SHOWN_VIOLATIONS).join('; ') + more,
        );
        const name = body['BaseFileName'];
        expectThat(
          !(typeof name === 'string' && name.startsWith('.')),
          res,
          'BaseFileName a full file name, not starting with "."',
          `BaseFileName: ${JSON.stringify(name)}`,
        );
        expectFileExtension(body, res);
      },
    },
    {
      name: 'HostUrls',
      title: 'Host URLs in CheckFileInfo are not Office for the web URLs',
      origin: 'validator',
      async run(ctx) {
        const { body, res } = await fileInfo(ctx);
        for (const name of HOST_URLS) {
          const value = body[name];
          if (typeof value !== 'string') continue;
          expectThat(
            !OFFICE_URL.test(value),
            res,
            `${name} a page of the host, not an officeapps.live.com URL`,
            `${name}: ${JSON.stringify(value)}`,
          );
        }
      },
    },
    {
      name: 'CheckFileWithInvalidAccessToken',
      title: 'CheckFileInfo with an invalid access token: 401 or 404',
      origin: 'validator',
      async run(ctx) {
        const res = await ctx.client.checkFileInfo(ctx.target, { token: INVALID_TOKEN });
        expectStatus(res, [401, 404], `CheckFileInfo with access_token=${INVALID_TOKEN}`);
      },
    },
    {
      name: 'CheckFileInfoIsJson',
      title: 'CheckFileInfo answers a JSON object with Content-Type application/json',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §1.4: JSON responses carry Content-Type: application/json, and clients may ignore a ' +
        'response whose Content-Type is not what they expect.',
      async run(ctx) {
        const res = await ctx.client.checkFileInfo(ctx.target);
        expectStatus(res, 200, 'CheckFileInfo');
        expectJson(res, 'CheckFileInfo');
        const type = res.header('Content-Type');
        expectThat(
          type !== undefined && /^application\/json\s*(;|$)/i.test(type),
          res,
          'CheckFileInfo Content-Type: application/json',
          type === undefined ? 'no Content-Type' : `Content-Type: ${JSON.stringify(type)}`,
        );
      },
    },
    {
      name: 'SizeAndHashMatchContent',
      title: 'CheckFileInfo Size (and SHA256 when sent) describe the bytes GetFile returns',
      origin: 'workbench',
      rationale:
        'PROTOCOL.md §4.1: Size is the size in bytes (Office reads Size 0 as a new file); §4.8: SHA256 is ' +
        "the Base64 SHA-256 of the file's bytes and Office's view cache key, so a wrong one serves stale content (§7).",
      async run(ctx) {
        const { body, res } = await fileInfo(ctx);
        const file = await ctx.client.getFile(ctx.target);
        expectStatus(file, 200, 'GetFile');
        expectThat(
          body['Size'] === file.body.length,
          res,
          `CheckFileInfo Size ${file.body.length} (the bytes GetFile returned)`,
          `Size: ${JSON.stringify(body['Size'])}`,
        );
        const sha = body['SHA256'];
        if (sha === undefined || sha === '') return;
        const expected = sha256Base64(file.body);
        expectThat(
          sha === expected,
          res,
          `CheckFileInfo SHA256 ${JSON.stringify(expected)} (Base64 SHA-256 of the bytes GetFile returned)`,
          `SHA256: ${JSON.stringify(sha)}`,
        );
      },
    },
  ],
};
