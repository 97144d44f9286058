// @ts-check
export default async function teardown() {
  /** @type {{ stop: () => Promise<void> }[]} */
  const handles = /** @type {any} */ (globalThis).__ygsaTestHandles ?? [];
  for (const h of handles.reverse()) await h.stop();
}
