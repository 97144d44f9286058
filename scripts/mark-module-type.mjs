// @ts-check
// Marks each build output folder of a dual CJS/ESM package with its module type, so that
// Node and bundlers read dist/esm as ES modules and dist/cjs as CommonJS.
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dist = process.argv[2];
if (!dist) {
  process.stderr.write('usage: mark-module-type.mjs <dist-folder>\n');
  process.exit(2);
}
for (const [folder, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  const dir = join(dist, folder);
  if (existsSync(dir)) writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }) + '\n');
}
