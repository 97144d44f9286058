/** MongoDB's duplicate-key error (a unique index refused the write); FerretDB answers the same code. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/**
 * An upsert that two callers may run at once: MongoDB can refuse the second concurrent upsert of
 * the same key with a duplicate-key error, after which the document exists and the update applies.
 */
export async function upsertOnce(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await run();
  }
}
