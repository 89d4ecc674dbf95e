import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  listProfiles,
  OFFICE_DISCOVERY_URL,
  OFFICE_TEST_DISCOVERY_URL,
  ProfileError,
  resolveProfile,
} from '../../server/discovery/profiles';
import type { ProfileSettings } from '../../server/discovery/profiles';
import type { ClientProfileView } from '../../server/contracts/api';

function ok(id: string, settings: ProfileSettings = {}): ClientProfileView {
  const r = resolveProfile(id, settings);
  if (!r.ok) assert.fail(r.error.message);
  return r.profile;
}

function err(id: string, settings: ProfileSettings = {}): ProfileError {
  const r = resolveProfile(id, settings);
  if (r.ok) assert.fail(`expected ${id} to fail`);
  assert.ok(r.error instanceof ProfileError);
  return r.error;
}

void test('Office profiles use Microsoft discovery URLs and enforce proofs', () => {
  const prod = ok('office');
  assert.equal(prod.discoveryUrl, OFFICE_DISCOVERY_URL);
  assert.equal(prod.discoveryUrl, 'https://onenote.officeapps.live.com/hosting/discovery');
  assert.equal(prod.proofMode, 'enforce');
  assert.equal(prod.requiresHttps, true);
  assert.equal(prod.kind, 'office');
  const test = ok('office-test');
  assert.equal(test.discoveryUrl, OFFICE_TEST_DISCOVERY_URL);
  assert.equal(test.discoveryUrl, 'https://ffc-onenote.officeapps.live.com/hosting/discovery');
  assert.equal(test.kind, 'office-test');
  assert.equal(ok('office', { proofMode: 'report' }).proofMode, 'report');
  assert.equal(
    ok('office', { discoveryUrl: 'https://mirror.example/hosting/discovery' }).discoveryUrl,
    'https://mirror.example/hosting/discovery',
  );
  const insecure = err('office', { discoveryUrl: 'http://mirror.example/hosting/discovery' });
  assert.equal(insecure.setting, 'discoveryUrl');
  assert.match(insecure.message, /https:\/\//);
});

void test('Collabora and ONLYOFFICE take a server address and add /hosting/discovery', () => {
  const c = ok('collabora', { discoveryUrl: 'http://localhost:9980' });
  assert.equal(c.discoveryUrl, 'http://localhost:9980/hosting/discovery');
  assert.equal(c.proofMode, 'report');
  assert.equal(c.requiresHttps, false);
  assert.equal(
    ok('collabora', { discoveryUrl: 'https://c.example/hosting/discovery/' }).discoveryUrl,
    'https://c.example/hosting/discovery',
  );
  assert.equal(
    ok('onlyoffice', { discoveryUrl: 'https://docs.example/oo' }).discoveryUrl,
    'https://docs.example/oo/hosting/discovery',
  );
  const missing = err('collabora');
  assert.equal(missing.code, 'missing-setting');
  assert.equal(missing.setting, 'discoveryUrl');
  assert.match(missing.message, /http:\/\/localhost:9980/);
  assert.equal(err('onlyoffice', { discoveryUrl: 'docs.example' }).code, 'invalid-setting');
});

void test('file, simulator and custom profiles need their setting', () => {
  assert.equal(ok('file', { discoveryUrl: '/tmp/discovery.xml' }).discoveryUrl, '/tmp/discovery.xml');
  assert.equal(err('file').code, 'missing-setting');
  assert.match(err('file', { discoveryUrl: 'https://x.example/d' }).message, /custom/);

  const sim = ok('simulator', { simulatorUrl: 'http://127.0.0.1:40111/hosting/discovery' });
  assert.equal(sim.discoveryUrl, 'http://127.0.0.1:40111/hosting/discovery');
  assert.equal(sim.proofMode, 'report', 'unsigned callers (curl, the CLI validator) must work by default');
  assert.equal(
    ok('simulator', { simulatorUrl: sim.discoveryUrl, proofMode: 'enforce' }).proofMode,
    'enforce',
  );
  assert.equal(err('simulator').setting, 'simulatorUrl');

  assert.equal(ok('custom', { discoveryUrl: 'http://wopi-client.lan/hosting/discovery' }).kind, 'custom');
  assert.equal(err('custom').code, 'missing-setting');
  assert.match(err('custom', { discoveryUrl: './d.xml' }).message, /"file" profile/);
});

void test('unknown profile and bad proof mode name the setting', () => {
  const unknown = err('sharepoint');
  assert.equal(unknown.code, 'unknown-profile');
  assert.equal(unknown.setting, 'clientProfile');
  assert.match(unknown.message, /office, office-test, collabora, onlyoffice, file, simulator, custom/);
  const mode = err('office', { proofMode: 'strict' as never });
  assert.equal(mode.setting, 'proofMode');
});

void test('listProfiles shows every profile once', () => {
  const all = listProfiles();
  assert.deepEqual(
    all.map((p) => p.id),
    ['office', 'office-test', 'collabora', 'onlyoffice', 'file', 'simulator', 'custom'],
  );
  assert.equal(all.find((p) => p.id === 'collabora')?.discoveryUrl, '');
});
