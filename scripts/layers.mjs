// `npm run lint`'s layering check: dependency-cruiser with the rules in .dependency-cruiser.cjs over
// server/, main/ and renderer/. Run through its API because the depcruise CLI refuses Node 20, which
// this project supports (engines >=20.19); the cruise itself runs there unchanged.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const result = await cruise(
  process.argv.length > 2 ? process.argv.slice(2) : ['server', 'main', 'renderer'],
  { ...options, outputType: 'err' },
  {},
  { tsConfig: extractTSConfig('tsconfig.json') },
);
process.stdout.write(String(result.output));
process.exitCode = result.exitCode;
