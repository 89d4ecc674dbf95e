// The package's main export for library users (`import { createWorkbench } from 'wopi-workbench'`):
// the TypeScript library through tsx's loader, as the CLI runs it. Imported dynamically because
// static imports are resolved before the loader is registered.
import { register } from 'tsx/esm/api';

register();
const lib = await import('../server/index.ts');

export const { createWorkbench, createWopiRouter, ConfigError, ApiModelError, redactEnvelope, redactText } =
  lib;
