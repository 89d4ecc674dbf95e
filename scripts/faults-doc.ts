// Writes docs/FAULTS.md from the fault presets table: `node --import tsx scripts/faults-doc.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { presetsMarkdown } from '../server/faults/doc';

const out = fileURLToPath(new URL('../docs/FAULTS.md', import.meta.url));
writeFileSync(out, presetsMarkdown());
process.stdout.write(`wrote ${out}\n`);
