// The runtime file a serve run writes into its data dir (engine.ts): how `token` and `open` find it.
import fs from 'node:fs';
import path from 'node:path';
import type { Persona } from '../contracts/api';
import { RUNTIME_FILE } from '../core';
import { CliError } from './args';

export interface RuntimeInfo {
  pid?: number;
  folder: string;
  wopiUrl?: string;
  publicUrl: string;
  controlUrl: string;
  controlToken?: string;
  personas?: Persona[];
}

export function readRuntime(dataDirFlag: string): RuntimeInfo {
  const dataDir = path.resolve(dataDirFlag);
  const file = path.join(dataDir, RUNTIME_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(
      `no serve run has used data dir ${dataDir}; start \`wopi-workbench serve --folder DIR --data-dir ${dataDirFlag}\` first`,
    );
  }
  try {
    const rt = JSON.parse(text) as RuntimeInfo;
    if (typeof rt.folder === 'string' && typeof rt.controlUrl === 'string') return rt;
  } catch {
    // Reported below, like a file with the wrong shape.
  }
  throw new CliError(`${file} is not a runtime file of wopi-workbench; start serve with that data dir again`);
}
