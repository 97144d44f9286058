import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db';
import { ensureIndexes } from '../data/models';
import { createBootstrapCode } from '../modules/regulators/regulator.service';

const USAGE = `usage: npm run admin -- bootstrap [--name 姓名] [--hours 24]

Makes a one-time code for the first city administrator (or another one): whoever signs in to the
regulators' mini-program and enters it becomes a city administrator. The code is used once and
expires (24 hours unless --hours says otherwise). Reads the API's environment (MONGODB_URI, …).`;

/** `npm run admin -- bootstrap`: the first administrator's one-time code, never a token. */
async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'bootstrap') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(command ? 64 : 0);
  }
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i]?.replace(/^--/, '');
    const value = rest[i + 1];
    if (!key || value === undefined || !['name', 'hours'].includes(key)) {
      process.stderr.write(`${USAGE}\n`);
      process.exit(64);
    }
    options[key] = value;
  }
  const config = loadConfig();
  const db = await connectDatabase(config.mongodb);
  try {
    await ensureIndexes(db);
    const code = await createBootstrapCode(db, {
      ...(options.name ? { name: options.name } : {}),
      ...(options.hours ? { validHours: Number(options.hours) } : {}),
    });
    process.stdout.write(
      `一次性管理员绑定码：${code.code}\n` +
        `有效期至 ${code.expiresAt}；在监管端小程序登录后输入此码，即成为市级管理员（${code.name}）。\n`,
    );
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`admin: ${message}\n`);
  process.exit(1);
});
