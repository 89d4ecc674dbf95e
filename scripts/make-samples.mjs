#!/usr/bin/env node
// Writes the sample files the README's quick start serves (assets/samples): small valid .docx,
// .xlsx and .pptx packed by fflate through the simulator's zip module, plus readme.txt and
// test.wopitest.
// Usage: node scripts/make-samples.mjs [outDir]   (default: assets/samples)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { sampleFiles } = await import('../server/simulator/ooxml/samples.ts');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'assets', 'samples'));
fs.mkdirSync(outDir, { recursive: true });
for (const file of sampleFiles()) {
  fs.writeFileSync(path.join(outDir, file.name), file.data);
  console.log(`${path.relative(process.cwd(), path.join(outDir, file.name))} (${file.data.length} bytes)`);
}
