import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  actionsOf,
  chooseZone,
  DiscoveryParseError,
  parseDiscovery,
  toActionViews,
} from '../../server/discovery/parse';
import type { DiscoveryZone } from '../../server/discovery/parse';
import { importProofKeys } from '../../server/proof/keys';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/discovery/${name}`, import.meta.url), 'utf8');

function parseError(xml: string): DiscoveryParseError {
  try {
    parseDiscovery(xml);
  } catch (err) {
    assert.ok(err instanceof DiscoveryParseError);
    return err;
  }
  assert.fail('expected a DiscoveryParseError');
}

void test('Office-shaped discovery: external-https chosen over an earlier internal-http zone', () => {
  const d = parseDiscovery(fixture('office.xml'));
  assert.deepEqual(
    d.zones.map((z) => z.name),
    ['internal-http', 'external-https'],
  );
  assert.equal(d.zone.name, 'external-https');
  assert.deepEqual(
    d.zone.apps.map((a) => a.name),
    ['Word', 'Excel', 'PowerPoint', 'WopiTest'],
  );
  const word = d.zone.apps[0];
  assert.equal(word.favIconUrl, 'https://word.cdn.example/wv/resources/1033/FavIcon_Word.ico');
  assert.equal(word.checkLicense, true);
  const edit = word.actions.find((a) => a.name === 'edit' && a.ext === 'docx')!;
  assert.deepEqual(edit.requires, ['locks', 'update']);
  assert.equal(edit.isDefault, false);
  // Entities decoded: the placeholders are visible as written by the client.
  assert.ok(edit.urlsrc.includes('?<ui=UI_LLCC&><rs=DC_LLCC&>'));
  assert.equal(word.actions.find((a) => a.name === 'convert')?.targetext, 'docx');
  assert.ok(
    actionsOf(d.zone).some((a) => a.app === 'WopiTest' && a.name === 'getinfo' && a.ext === 'wopitest'),
  );
});

void test('proof-key attributes are read, and both keys import', () => {
  const d = parseDiscovery(fixture('office.xml'));
  assert.ok(d.proofKey);
  assert.equal(d.proofKey.exponent, 'AQAB');
  const keys = importProofKeys(d.proofKey);
  assert.ok(keys.current && keys.old);
  assert.notEqual(keys.current.fingerprint, keys.old.fingerprint);
});

void test('empty old-key attributes parse as empty and import as no old key', () => {
  const d = parseDiscovery(fixture('empty-old-key.xml'));
  assert.equal(d.proofKey?.oldmodulus, '');
  const keys = importProofKeys(d.proofKey);
  assert.ok(keys.current);
  assert.equal(keys.old, null);
});

void test('Collabora-shaped discovery: one http zone, MIME-type app names, Capabilities', () => {
  const d = parseDiscovery(fixture('collabora.xml'));
  assert.equal(d.zone.name, 'external-http');
  const views = toActionViews(d.zone);
  const docx = views.find((v) => v.ext === 'docx')!;
  assert.equal(docx.app, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal(docx.urlsrc, 'http://localhost:9980/browser/1a2b3c4/cool.html?');
  assert.ok(views.some((v) => v.app === 'Capabilities' && v.name === 'getinfo' && v.ext === ''));
  assert.ok(d.zone.apps.find((a) => a.name === 'writer')?.favIconUrl);
});

void test('ONLYOFFICE-shaped discovery parses', () => {
  const d = parseDiscovery(fixture('onlyoffice.xml'));
  assert.equal(d.zone.name, 'external-http');
  assert.equal(actionsOf(d.zone).length, 3);
});

void test('no proof-key element means no keys', () => {
  const d = parseDiscovery(
    '<wopi-discovery><net-zone name="external-http"><app name="x"><action name="view" ext="TXT" urlsrc="http://c/?"/></app></net-zone></wopi-discovery>',
  );
  assert.equal(d.proofKey, null);
  assert.equal(d.zone.apps[0].actions[0].ext, 'txt');
});

void test('zone preference: external-https, internal-https, other https, then anything with actions', () => {
  const zone = (name: string, actions = 1): DiscoveryZone => ({
    name,
    apps: [
      {
        name: 'a',
        favIconUrl: null,
        checkLicense: false,
        actions: Array.from({ length: actions }, () => ({
          app: 'a',
          name: 'view',
          ext: 'x',
          progid: '',
          requires: [],
          isDefault: false,
          urlsrc: '',
        })),
      },
    ],
  });
  assert.equal(chooseZone([zone('internal-https'), zone('external-https')])?.name, 'external-https');
  assert.equal(chooseZone([zone('external-http'), zone('internal-https')])?.name, 'internal-https');
  assert.equal(chooseZone([zone('external-http'), zone('custom-https')])?.name, 'custom-https');
  assert.equal(chooseZone([zone('external-https', 0), zone('internal-http')])?.name, 'internal-http');
  assert.equal(chooseZone([zone('external-https', 0)]), null);
});

void test('errors are typed and say what to do', () => {
  const notXml = parseError('{"error":"not found"}');
  assert.equal(notXml.code, 'not-xml');
  assert.match(notXml.message, /line 1, column 1/);
  assert.equal(parseError('<wopi-discovery><net-zone>').code, 'not-xml');

  const html = parseError('<html><head><title>Login</title></head><body>Sign in</body></html>');
  assert.equal(html.code, 'no-discovery-root');
  assert.match(html.message, /HTML page/);

  const other = parseError('<?xml version="1.0"?><feed></feed>');
  assert.equal(other.code, 'no-discovery-root');
  assert.match(other.message, /<feed>/);

  assert.equal(parseError('<wopi-discovery></wopi-discovery>').code, 'no-net-zone');
  assert.equal(
    parseError('<wopi-discovery><net-zone name="external-https"/></wopi-discovery>').code,
    'no-actions',
  );
});

void test('a byte-order mark does not break parsing', () => {
  const d = parseDiscovery(`\uFEFF${fixture('empty-old-key.xml')}`);
  assert.equal(d.zone.name, 'external-https');
});
