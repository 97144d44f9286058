// @ts-check
export default async function teardown() {
  await /** @type {any} */ (globalThis).__ygsaStack?.stop();
}
