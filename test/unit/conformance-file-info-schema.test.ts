// The schema check behind FullCheckFileInfoSchema: the 68 properties of the 2019 validator schema, and
// a checker that names each violation (a vacuous check would pass any host).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FILE_INFO_PROPERTIES,
  FILE_INFO_REQUIRED,
  fileInfoSchemaViolations,
} from '../../server/conformance/file-info-schema';

const subjects = (errors: string[]): string[] => errors.map((e) => e.split(' ')[0]!).sort();

const VALID = {
  BaseFileName: 'a.wopitest',
  OwnerId: 'o',
  Size: 3,
  UserId: 'u',
  UserFriendlyName: 'U',
  Version: '1',
  SupportsLocks: true,
  CloseUrl: 'https://host.example/close',
  LastModifiedTime: '2009-06-15T13:45:30.0000000Z',
  SupportedShareUrlTypes: ['ReadOnly'],
};

void describe('CheckFileInfo schema check', () => {
  void it('knows the 68 documented properties and requires six', () => {
    assert.equal(Object.keys(FILE_INFO_PROPERTIES).length, 68);
    assert.deepEqual([...FILE_INFO_REQUIRED].sort(), [
      'BaseFileName',
      'OwnerId',
      'Size',
      'UserFriendlyName',
      'UserId',
      'Version',
    ]);
  });

  void it('accepts a conforming body, empty URLs and dates included', () => {
    assert.deepEqual(fileInfoSchemaViolations(VALID), []);
    assert.deepEqual(fileInfoSchemaViolations({ ...VALID, DownloadUrl: '', LastModifiedTime: '' }), []);
  });

  void it('names wrong types, unknown properties and missing required ones', () => {
    const errors = fileInfoSchemaViolations({
      BaseFileName: 'a.wopitest',
      OwnerId: 'o',
      Size: '3',
      UserId: 'u',
      Version: 1,
      SupportsCoauth: true,
    });
    assert.deepEqual(subjects(errors), ['Size', 'SupportsCoauth', 'UserFriendlyName', 'Version']);
    assert.ok(errors.includes('Size is "3", not an integer'), errors.join('\n'));
    assert.ok(errors.includes('SupportsCoauth is not a schema property'), errors.join('\n'));
  });

  void it('refuses nulls, relative URLs, non-UTC times, enum and array item mistakes', () => {
    const errors = fileInfoSchemaViolations({
      ...VALID,
      CloseUrl: null,
      HostViewUrl: '/view',
      LastModifiedTime: '2009-06-15 13:45:30',
      CopyPasteRestrictions: 'Some',
      SupportedShareUrlTypes: ['ReadOnly', 'Everyone'],
      Size: -1,
    });
    assert.deepEqual(subjects(errors), [
      'CloseUrl',
      'CopyPasteRestrictions',
      'HostViewUrl',
      'LastModifiedTime',
      'Size',
      'SupportedShareUrlTypes[1]',
    ]);
  });

  void it('does not take Object prototype names for schema properties', () => {
    assert.deepEqual(fileInfoSchemaViolations({ ...VALID, constructor: 'x', toString: 1 }).length, 2);
  });
});
