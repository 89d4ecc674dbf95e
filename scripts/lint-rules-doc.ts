// Writes docs/LINT-RULES.md from the linter's rule table: `node --import tsx scripts/lint-rules-doc.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rulesMarkdown } from '../server/lint';

const out = fileURLToPath(new URL('../docs/LINT-RULES.md', import.meta.url));
writeFileSync(out, rulesMarkdown());
process.stdout.write(`wrote ${out}\n`);
