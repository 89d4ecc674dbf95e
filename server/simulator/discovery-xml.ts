// The simulator's /hosting/discovery: the same shape Office publishes (PROTOCOL §9.2), one
// external-http zone (it only listens on loopback), urlsrc with Office's optional placeholders,
// and a <proof-key> carrying both the CSP blob and modulus/exponent for the current and old key.
import type { KeyObject } from 'node:crypto';
import { proofKeyAttributesFor } from '../proof/keys';

export interface SimulatorApp {
  /** App name as in Office's discovery (Word, Excel, PowerPoint, WopiTest) or our own (Text). */
  name: string;
  /** Path segment of its action pages and favicon. */
  slug: string;
  exts: string[];
  actions: string[];
}

/** What the simulator can open. WopiTest also gets edit here so .wopitest files can be changed in demos. */
export const SIMULATOR_APPS: readonly SimulatorApp[] = [
  { name: 'Word', slug: 'word', exts: ['docx'], actions: ['view', 'edit', 'editnew', 'embedview'] },
  { name: 'Excel', slug: 'excel', exts: ['xlsx'], actions: ['view', 'edit', 'editnew', 'embedview'] },
  {
    name: 'PowerPoint',
    slug: 'powerpoint',
    exts: ['pptx'],
    actions: ['view', 'edit', 'editnew', 'embedview'],
  },
  { name: 'WopiTest', slug: 'wopitest', exts: ['wopitest'], actions: ['view', 'edit'] },
  { name: 'Text', slug: 'text', exts: ['txt', 'md', 'csv', 'json'], actions: ['view', 'edit', 'embedview'] },
];

const REQUIRES: Record<string, string> = { edit: 'locks,update', editnew: 'locks,update' };

/** Optional parameters in Office's own style; the host must fill or strip every one (§9.3). */
const PLACEHOLDERS =
  '<ui=UI_LLCC&><rs=DC_LLCC&><dchat=DISABLE_CHAT&><IsLicensedUser=BUSINESS_USER&>' +
  '<hid=HOST_SESSION_ID&><sc=SESSION_CONTEXT&><wopisrc=WOPI_SOURCE&>';

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function actionPath(app: SimulatorApp, action: string): string {
  return `/sim/${app.slug}/${action}`;
}

export function favIconPath(app: SimulatorApp): string {
  return `/sim/favicon/${app.slug}.svg`;
}

export function buildDiscoveryXml(
  origin: string,
  keys: { current: KeyObject; old: KeyObject | null },
): string {
  const apps = SIMULATOR_APPS.map((app) => {
    const actions = app.exts.flatMap((ext) =>
      app.actions.map((action) => {
        const requires = REQUIRES[action] ? ` requires="${REQUIRES[action]}"` : '';
        const isDefault = action === 'view' ? ' default="true"' : '';
        const urlsrc = `${origin}${actionPath(app, action)}?${PLACEHOLDERS}`;
        return `      <action name="${action}" ext="${ext}"${isDefault}${requires} urlsrc="${attr(urlsrc)}" />`;
      }),
    );
    return [
      `    <app name="${app.name}" favIconUrl="${attr(origin + favIconPath(app))}" checkLicense="false">`,
      ...actions,
      '    </app>',
    ].join('\n');
  });
  const current = proofKeyAttributesFor(keys.current);
  const old = keys.old ? proofKeyAttributesFor(keys.old) : { value: '', modulus: '', exponent: '' };
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<wopi-discovery>',
    '  <net-zone name="external-http">',
    ...apps,
    '  </net-zone>',
    `  <proof-key oldvalue="${old.value}" oldmodulus="${old.modulus}" oldexponent="${old.exponent}" ` +
      `value="${current.value}" modulus="${current.modulus}" exponent="${current.exponent}" />`,
    '</wopi-discovery>',
    '',
  ].join('\n');
}
