// @ts-check
// `npm run admin -- bootstrap [--name 姓名] [--hours 24]`: the first city administrator's one-time
// code, made in the database the API's environment names (MONGODB_URI, …). In production, load the
// API's environment first: set -a; . /etc/ygsa/api.env; set +a; npm run admin -- bootstrap
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { installIfNeeded } from './lib/install.mjs';
import { ROOT } from './lib/paths.mjs';

await installIfNeeded((m) => process.stderr.write(m + '\n'));
const { buildApi } = await import('./build.mjs');
await buildApi();
const child = spawn(process.execPath, [join(ROOT, 'cloud-api', 'dist', 'cli', 'admin.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 1));
