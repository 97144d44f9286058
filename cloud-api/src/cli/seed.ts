import { ConfigError, loadConfig } from '../config';
import { createTokenSigner } from '../http/tokens';
import { userByUsername } from '../modules/auth/user.facts';
import { connectDatabase } from '../db';
import { wireShopEvents } from '../events/wiring';
import { demoCameraKeys, demoShopLinks } from '../seed/demo-district';
import { seedDemoData } from '../seed/demo-seed';
import { demoOwnerCode } from '../seed/demo-enforcement';
import { createBootstrapCode, waitingBootstrapCode } from '../modules/regulators/regulator.service';

/** `node dist/cli/seed.js`: loads the demo data steps not yet applied to the configured database. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.env === 'production') throw new Error('demo data is never loaded in production');
  const db = await connectDatabase(config.mongodb);
  wireShopEvents(db, config);
  try {
    const result = await seedDemoData(db, config);
    // The local tools (the benchmarks, the test stack) call the regulator API as the demo
    // administrator; `npm start` prints no token: people sign in to the regulators' app with the
    // one-time code below.
    const regulator = await userByUsername(db, 'demo-regulator');
    const regulatorToken =
      config.env === 'development' && regulator
        ? createTokenSigner(config.jwt).sign(String(regulator._id), regulator.roles).token
        : undefined;
    const bootstrap =
      config.env === 'development'
        ? ((await waitingBootstrapCode(db)) ?? (await createBootstrapCode(db, { name: '演示管理员' })))
        : null;
    const cameras = config.env === 'development' ? await demoCameraKeys(db) : [];
    const owner = config.env === 'development' ? await demoOwnerCode(db) : null;
    process.stdout.write(
      `${JSON.stringify({ ...result, shops: await demoShopLinks(db, config), regulatorToken, bootstrap, cameras, owner })}\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
  process.stderr.write(`seed: ${message}\n`);
  process.exit(1);
});
