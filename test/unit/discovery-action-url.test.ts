import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { actionNamesFor, buildActionUrl, favIconUrlFor, findAction } from '../../server/discovery/action-url';
import { parseDiscovery } from '../../server/discovery/parse';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/discovery/${name}`, import.meta.url), 'utf8');
const WOPI_SRC = 'https://wb.example.net/wopi/files/f1';
const ENC_SRC = encodeURIComponent(WOPI_SRC);

void test('Office urlsrc: known placeholders filled, unknown and unset groups removed', () => {
  const d = parseDiscovery(fixture('office.xml'));
  const action = findAction(d, 'DOCX', 'edit')!;
  const url = buildActionUrl(action.urlsrc, {
    wopiSrc: WOPI_SRC,
    uiLlcc: 'en-US',
    sessionContext: 'ctx 1&2',
    businessUser: true,
    disableChat: true,
    hostSessionId: 'hs-9',
  });
  assert.equal(
    url,
    `https://word-edit.officeapps.example/we/wordeditorframe.aspx?ui=en-US&rs=en-US&dchat=1&IsLicensedUser=1&sc=ctx%201%262&hid=hs-9&wopisrc=${ENC_SRC}`,
  );
  assert.doesNotMatch(url, /[<>]|SOMETHING_NEW|foo=/);
});

void test('only WOPI_SOURCE given: every optional group disappears, no dangling separators', () => {
  const d = parseDiscovery(fixture('office.xml'));
  const url = buildActionUrl(findAction(d, 'xlsx', 'edit')!.urlsrc, {
    wopiSrc: WOPI_SRC,
    businessUser: false,
  });
  assert.equal(
    url,
    `https://excel.officeapps.example/x/_layouts/xlviewerinternal.aspx?edit=1&wopisrc=${ENC_SRC}`,
  );
});

void test('dcLlcc overrides the UI language for DC_LLCC; validator category fills getinfo', () => {
  const d = parseDiscovery(fixture('office.xml'));
  const view = buildActionUrl(findAction(d, 'docx', 'view')!.urlsrc, {
    wopiSrc: WOPI_SRC,
    uiLlcc: 'de-DE',
    dcLlcc: 'fr-FR',
  });
  assert.match(view, /\?ui=de-DE&rs=fr-FR&wopisrc=/);
  const getinfo = buildActionUrl(findAction(d, 'wopitest', 'getinfo')!.urlsrc, {
    wopiSrc: WOPI_SRC,
    validatorTestCategory: 'OfficeOnline',
  });
  assert.equal(
    getinfo,
    `https://onenote.officeapps.example/hosting/GetWopiTestInfo.ashx?testcategory=OfficeOnline&wopisrc=${ENC_SRC}`,
  );
});

void test('placeholders are keyed on their value, not the parameter name', () => {
  const url = buildActionUrl('https://c.example/a?<lang=UI_LLCC&><ui=SOMETHING_NEW&><src=WOPI_SOURCE>', {
    wopiSrc: WOPI_SRC,
    uiLlcc: 'nl-NL',
  });
  assert.equal(url, `https://c.example/a?lang=nl-NL&src=${ENC_SRC}`);
});

void test('Collabora urlsrc without placeholders gets WOPISrc appended', () => {
  const d = parseDiscovery(fixture('collabora.xml'));
  const url = buildActionUrl(findAction(d, 'docx', 'edit')!.urlsrc, { wopiSrc: WOPI_SRC, uiLlcc: 'en-US' });
  assert.equal(url, `http://localhost:9980/browser/1a2b3c4/cool.html?WOPISrc=${ENC_SRC}`);
  assert.equal(
    buildActionUrl('https://old.example/view', { wopiSrc: 'x y' }),
    'https://old.example/view?WOPISrc=x%20y',
  );
});

void test('ONLYOFFICE urlsrc with ?& and a trailing & comes out clean', () => {
  const d = parseDiscovery(fixture('onlyoffice.xml'));
  const url = buildActionUrl(findAction(d, 'docx', 'edit')!.urlsrc, { wopiSrc: WOPI_SRC, uiLlcc: 'en-US' });
  assert.equal(url, `http://localhost:8080/hosting/wopi/word/edit?rs=en-US&ui=en-US&wopisrc=${ENC_SRC}`);
});

void test('a bare WOPISrc=WOPI_SOURCE outside any group is filled, not duplicated', () => {
  const url = buildActionUrl('https://c.example/view?<ui=UI_LLCC&>&WOPISrc=WOPI_SOURCE&foo=bar', {
    wopiSrc: WOPI_SRC,
  });
  assert.equal(url, `https://c.example/view?WOPISrc=${ENC_SRC}&foo=bar`);
});

void test('findAction, actionNamesFor and favIconUrlFor look in the chosen zone', () => {
  const d = parseDiscovery(fixture('office.xml'));
  assert.equal(findAction(d, '.docx', 'view')?.isDefault, true);
  assert.equal(findAction(d, 'docx', 'present'), null);
  assert.equal(findAction(d, 'odt', 'view'), null);
  assert.deepEqual(actionNamesFor(d, 'docx'), ['view', 'edit', 'editnew']);
  assert.equal(favIconUrlFor(d, 'pptx'), 'https://powerpoint.cdn.example/p/resources/1033/FavIcon_Ppt.ico');
  assert.equal(favIconUrlFor(d, 'odt'), null);
  // The internal-http zone's Word icon is not used: external-https is the chosen zone.
  assert.equal(favIconUrlFor(d, 'docx'), 'https://word.cdn.example/wv/resources/1033/FavIcon_Word.ico');
});
