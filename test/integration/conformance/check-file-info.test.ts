// Validator groups CheckFileInfoSchema and BaseWopiViewing (wopi-validator-core TestCases.xml), black-box
// against `wopi-workbench serve`. Each group has its own .wopitest file.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  TEST_TIMEOUT,
  expectFileInfoBasics,
  expectPrerequisites,
  expectWopitestExtension,
  isAbsoluteHttpUrl,
  serveForSuite,
} from '../../helpers/conformance';
import { checkFileInfo, expectStatus, validatorDocuments } from '../../helpers/wopi-client';
import { expectContent } from '../../helpers/wopi-expect';

const SCHEMA_FILE = 'schema.wopitest';
const VIEWING_FILE = 'viewing.wopitest';

interface PropertySchema {
  type: 'string' | 'boolean' | 'integer' | 'array';
  format?: 'uri' | 'date-time';
  enum?: string[];
  minimum?: number;
  items?: PropertySchema;
}

interface ObjectSchema {
  additionalProperties: boolean;
  required: string[];
  properties: Record<string, PropertySchema>;
}

async function loadSchema(): Promise<ObjectSchema> {
  const text = await readFile(new URL('../../fixtures/checkfileinfo-schema.json', import.meta.url), 'utf8');
  return JSON.parse(text) as ObjectSchema;
}

// UTC ISO 8601, as the docs ask for LastModifiedTime ("2009-06-15T13:45:30.0000000Z").
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

function checkValue(name: string, value: unknown, schema: PropertySchema, errors: string[]): void {
  if (value === null) {
    errors.push(`${name}: null is not allowed (omit the property instead)`);
    return;
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') {
        errors.push(`${name}: expected string, got ${JSON.stringify(value)}`);
        return;
      }
      if (schema.enum && !schema.enum.includes(value))
        errors.push(`${name}: ${JSON.stringify(value)} not in enum`);
      // An empty string reads as "omitted" for URL and date properties.
      if (value !== '' && schema.format === 'uri' && !isAbsoluteHttpUrl(value)) {
        errors.push(`${name}: ${JSON.stringify(value)} is not an absolute http(s) URL`);
      }
      if (value !== '' && schema.format === 'date-time' && !ISO_UTC.test(value)) {
        errors.push(`${name}: ${JSON.stringify(value)} is not an ISO 8601 UTC timestamp`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${name}: expected boolean, got ${JSON.stringify(value)}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        errors.push(`${name}: expected integer, got ${JSON.stringify(value)}`);
      } else if (schema.minimum !== undefined && value < schema.minimum) {
        errors.push(`${name}: ${value} is below ${schema.minimum}`);
      }
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`${name}: expected array, got ${JSON.stringify(value)}`);
        return;
      }
      if (schema.items) {
        const items = schema.items;
        value.forEach((item: unknown, index) => checkValue(`${name}[${index}]`, item, items, errors));
      }
      return;
  }
}

function validateAgainstSchema(body: Record<string, unknown>, schema: ObjectSchema): string[] {
  const errors: string[] = [];
  for (const name of schema.required) {
    if (!(name in body)) errors.push(`${name}: required property missing`);
  }
  for (const [name, value] of Object.entries(body)) {
    const propertySchema = schema.properties[name];
    if (propertySchema === undefined) {
      if (!schema.additionalProperties) errors.push(`${name}: property not allowed by the schema`);
      continue;
    }
    checkValue(name, value, propertySchema, errors);
  }
  return errors;
}

const fx = serveForSuite(
  { files: { [SCHEMA_FILE]: validatorDocuments.wordBlank, [VIEWING_FILE]: validatorDocuments.wordSimple } },
  { schema: SCHEMA_FILE, viewing: VIEWING_FILE },
);

void describe('CheckFileInfoSchema', () => {
  void it('WopiValidatorPrereq: BaseFileName ends with .wopitest', TEST_TIMEOUT, async () => {
    await expectPrerequisites(fx.schema, {});
  });

  void it(
    'schema fixture lists the 68 documented properties and rejects bad bodies',
    TEST_TIMEOUT,
    async () => {
      // Guards the guard: a vacuous schema check would pass anything.
      const schema = await loadSchema();
      assert.equal(Object.keys(schema.properties).length, 68);
      const errors = validateAgainstSchema(
        {
          BaseFileName: 'a.wopitest',
          OwnerId: 'o',
          Size: '3',
          UserId: 'u',
          Version: 1,
          SupportsCoauth: true,
        },
        schema,
      );
      assert.deepEqual(errors.map((e) => e.split(':')[0]).sort(), [
        'Size',
        'SupportsCoauth',
        'UserFriendlyName',
        'Version',
      ]);
      assert.deepEqual(
        validateAgainstSchema({ CloseUrl: null, LastModifiedTime: 'yesterday' }, schema).length,
        8,
      );
    },
  );

  void it('FullCheckFileInfoSchema', TEST_TIMEOUT, async () => {
    const schema = await loadSchema();
    const res = await checkFileInfo(fx.schema);
    expectStatus(res, 200);
    assert.match(
      res.header('content-type') ?? '',
      /^application\/json\b/i,
      `Content-Type\n${res.describe()}`,
    );
    const body = res.json();
    const errors = validateAgainstSchema(body, schema);
    assert.deepEqual(
      errors,
      [],
      `CheckFileInfo violates the schema:\n  ${errors.join('\n  ')}\n${res.describe()}`,
    );
    // BaseFileName must be a full name, not an extension; FileExtension, if sent, is ".wopitest".
    assert.doesNotMatch(String(body['BaseFileName']), /^\..*$/, res.describe());
    expectWopitestExtension(body, res);
  });

  void it('HostUrls (OfficeOnline): host URLs are not Office for the web URLs', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(fx.schema);
    expectStatus(res, 200);
    const body = res.json();
    const officeUrl = /^https:\/\/.*?\.officeapps(-df)?\.live\.com.+/;
    for (const name of [
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
    ]) {
      const value = body[name];
      if (typeof value === 'string') assert.doesNotMatch(value, officeUrl, `${name}\n${res.describe()}`);
    }
  });

  void it('CheckFileWithInvalidAccessToken: 401 or 404', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(fx.schema, { token: 'INVALID' });
    expectStatus(res, [401, 404]);
  });

  void it(
    '(extra) values describe the file: name, size, version, owner, user, SHA256',
    TEST_TIMEOUT,
    async () => {
      const res = await checkFileInfo(fx.schema);
      expectStatus(res, 200);
      const body = res.json();
      assert.equal(body['BaseFileName'], SCHEMA_FILE, res.describe());
      assert.equal(body['Size'], validatorDocuments.wordBlank.length, res.describe());
      for (const name of ['Version', 'OwnerId', 'UserId', 'UserFriendlyName']) {
        assert.ok(
          typeof body[name] === 'string' && body[name] !== '',
          `${name} must be a non-empty string\n${res.describe()}`,
        );
      }
      if (body['SHA256'] !== undefined) {
        const expected = createHash('sha256').update(validatorDocuments.wordBlank).digest('base64');
        assert.equal(body['SHA256'], expected, `SHA256 is base64 of the file's SHA-256\n${res.describe()}`);
      }
      // An edit token was minted by default, so the user can write.
      assert.equal(body['UserCanWrite'], true, res.describe());
    },
  );
});

void describe('BaseWopiViewing', () => {
  void it('CheckFileInfoFieldsNotToBeSetByHosts', TEST_TIMEOUT, async () => {
    const res = await checkFileInfo(fx.viewing);
    expectStatus(res, 200);
    const body = res.json();
    assert.ok(
      typeof body['UserId'] === 'string' && body['UserId'] !== '',
      `UserId required\n${res.describe()}`,
    );
    for (const name of [
      'HostAuthenticationId',
      'PresenceUserId',
      'TenantId',
      'UserPrincipalName',
      'AADUserObjectId',
    ]) {
      assert.ok(
        body[name] === undefined || body[name] === '',
        `${name} must not be set by hosts\n${res.describe()}`,
      );
    }
    expectWopitestExtension(body, res);
  });

  void it('ViewOnlySupport: CheckFileInfo then GetFile', TEST_TIMEOUT, async () => {
    expectFileInfoBasics(await checkFileInfo(fx.viewing), true);
    await expectContent(fx.viewing, validatorDocuments.wordSimple, "the file's bytes");
  });

  void it('GetUnlockedFile', TEST_TIMEOUT, async () => {
    await expectContent(fx.viewing, validatorDocuments.wordSimple, 'GetUnlockedFile');
  });
});
