// The CheckFileInfo schema the validator's FullCheckFileInfoSchema case holds a host to (PROTOCOL §4.1:
// the 2019 schema allows exactly these 68 properties, requires six, and is `additionalProperties:
// false`), written as data from the property types of PROTOCOL §4, with a checker that names every
// violation. No nulls (§1.4); an empty string counts as an omitted URL or date.

type PropertySchema =
  | { type: 'boolean' }
  | { type: 'integer'; minimum: number }
  | { type: 'string'; format?: 'uri' | 'date-time'; enum?: readonly string[] }
  | { type: 'array'; items: { type: 'string'; enum: readonly string[] } };

const BOOLEAN = [
  'AllowAdditionalMicrosoftServices',
  'AllowEarlyFeatures',
  'AllowExternalMarketplace',
  'AppStateHistoryPostMessage',
  'ClosePostMessage',
  'DisablePrint',
  'DisableTranslation',
  'EditModePostMessage',
  'EditNotificationPostMessage',
  'FileSharingPostMessage',
  'FileVersionPostMessage',
  'IsAnonymousUser',
  'IsEduUser',
  'LicenseCheckForEditIsEnabled',
  'ReadOnly',
  'RestrictedWebViewOnly',
  'SupportsAddActivities',
  'SupportsCobalt',
  'SupportsContainers',
  'SupportsDeleteFile',
  'SupportsEcosystem',
  'SupportsExtendedLockLength',
  'SupportsFolders',
  'SupportsGetActivities',
  'SupportsGetLock',
  'SupportsLocks',
  'SupportsRename',
  'SupportsUpdate',
  'SupportsUserAccess',
  'SupportsUserInfo',
  'UserCanAttend',
  'UserCanNotWriteRelative',
  'UserCanPresent',
  'UserCanRename',
  'UserCanWrite',
  'WorkflowPostMessage',
] as const;

const STRING = [
  'BaseFileName',
  'BreadcrumbBrandName',
  'BreadcrumbDocName',
  'BreadcrumbFolderName',
  'FileExtension',
  'OwnerId',
  'SHA256',
  'UniqueContentId',
  'UserFriendlyName',
  'UserId',
  'UserInfo',
  'Version',
] as const;

/** URL properties: absolute http(s) when set (PROTOCOL §4.5, §4.6, §4.7). */
export const URL_PROPERTIES = [
  'BreadcrumbBrandUrl',
  'BreadcrumbFolderUrl',
  'CloseUrl',
  'DownloadUrl',
  'FileSharingUrl',
  'FileUrl',
  'FileVersionUrl',
  'HostEditUrl',
  'HostEmbeddedViewUrl',
  'HostViewUrl',
  'PostMessageOrigin',
  'SignInUrl',
  'SignoutUrl',
  'WorkflowUrl',
] as const;

function buildProperties(): Record<string, PropertySchema> {
  const out: Record<string, PropertySchema> = {};
  for (const name of BOOLEAN) out[name] = { type: 'boolean' };
  for (const name of STRING) out[name] = { type: 'string' };
  for (const name of URL_PROPERTIES) out[name] = { type: 'string', format: 'uri' };
  out['CopyPasteRestrictions'] = { type: 'string', enum: ['BlockAll', 'CurrentDocumentOnly', ''] };
  out['FileNameMaxLength'] = { type: 'integer', minimum: 0 };
  out['Size'] = { type: 'integer', minimum: 0 };
  out['LastModifiedTime'] = { type: 'string', format: 'date-time' };
  out['SupportedShareUrlTypes'] = {
    type: 'array',
    items: { type: 'string', enum: ['ReadOnly', 'ReadWrite'] },
  };
  out['WorkflowType'] = { type: 'array', items: { type: 'string', enum: ['Assign', 'Submit'] } };
  return out;
}

/** The 2019 validator property set (68 names) with their types. */
export const FILE_INFO_PROPERTIES: Readonly<Record<string, PropertySchema>> = buildProperties();

/** Required by the 2019 schema: the five documented ones plus UserFriendlyName. */
export const FILE_INFO_REQUIRED = [
  'BaseFileName',
  'OwnerId',
  'Size',
  'UserId',
  'Version',
  'UserFriendlyName',
];

// UTC ISO 8601 as the docs write LastModifiedTime ("2009-06-15T13:45:30.0000000Z").
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

export function isAbsoluteHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function checkValue(name: string, value: unknown, schema: PropertySchema, errors: string[]): void {
  if (value === null) {
    errors.push(`${name} is null (omit it instead)`);
    return;
  }
  switch (schema.type) {
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${name} is ${show(value)}, not a boolean`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value))
        errors.push(`${name} is ${show(value)}, not an integer`);
      else if (value < schema.minimum) errors.push(`${name} is ${value}, below ${schema.minimum}`);
      return;
    case 'string':
      if (typeof value !== 'string') {
        errors.push(`${name} is ${show(value)}, not a string`);
        return;
      }
      if (schema.enum && !schema.enum.includes(value))
        errors.push(`${name} is ${show(value)}, not one of ${schema.enum.map(show).join(', ')}`);
      if (value !== '' && schema.format === 'uri' && !isAbsoluteHttpUrl(value))
        errors.push(`${name} is ${show(value)}, not an absolute http(s) URL`);
      if (value !== '' && schema.format === 'date-time' && !ISO_UTC.test(value))
        errors.push(`${name} is ${show(value)}, not an ISO 8601 UTC time`);
      return;
    case 'array':
      if (!Array.isArray(value)) {
        errors.push(`${name} is ${show(value)}, not an array`);
        return;
      }
      value.forEach((item: unknown, i) => checkValue(`${name}[${i}]`, item, schema.items, errors));
      return;
  }
}

/** Every way `body` breaks the schema, one short phrase each; empty when it conforms. */
export function fileInfoSchemaViolations(body: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = [];
  for (const name of FILE_INFO_REQUIRED) if (!(name in body)) errors.push(`${name} missing`);
  for (const [name, value] of Object.entries(body)) {
    // Own properties only: "constructor" or "toString" are not schema properties.
    const schema = Object.hasOwn(FILE_INFO_PROPERTIES, name) ? FILE_INFO_PROPERTIES[name] : undefined;
    if (schema === undefined) errors.push(`${name} is not a schema property`);
    else checkValue(name, value, schema, errors);
  }
  return errors;
}
