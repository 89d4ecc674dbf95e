#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx wopi-workbench` works right after npm install.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../server/cli/main.ts');
await main(process.argv.slice(2));
