import { ConfigError, loadConfig } from '../config';
import { createTokenSigner } from '../http/tokens';
import { userByUsername } from '../modules/auth/user.facts';
import { connectDatabase } from '../db';
import { wireShopEvents } from '../events/wiring';
import { demoCameraKeys, demoShopLinks } from '../seed/demo-district';
import { seedDemoData } from '../seed/demo-seed';
import { demoOwnerCode } from '../seed/demo-enforcement';

/** `node dist/cli/seed.js`: loads the demo data steps not yet applied to the configured database. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (config.env === 'production') throw new Error('demo data is never loaded in production');
  const db = await connectDatabase(config.mongodb);
  wireShopEvents(db, config);
  try {
    const result = await seedDemoData(db, config);
    // Regulators have no sign-in of their own yet (their console comes later): in development the
    // demo regulator's token is handed to whoever runs the product, to call the regulator API.
    const regulator = await userByUsername(db, 'demo-regulator');
    const regulatorToken =
      config.env === 'development' && regulator
        ? createTokenSigner(config.jwt).sign(String(regulator._id), regulator.roles).token
        : undefined;
    const cameras = config.env === 'development' ? await demoCameraKeys(db) : [];
    const owner = config.env === 'development' ? await demoOwnerCode(db) : null;
    process.stdout.write(
      `${JSON.stringify({ ...result, shops: await demoShopLinks(db, config), regulatorToken, cameras, owner })}\n`,
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
