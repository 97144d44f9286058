import type { Connection, Model, Schema } from 'mongoose';

/** Every model's schema by name, as the modules declare them. */
const declared = new Map<string, Schema>();

/**
 * Declares a model of one module: returns its accessor for a connection, and registers the
 * schema so that the API can build every index before it serves (ensureIndexes): unique indexes
 * are what make concurrent creates safe, so they must exist before the first request.
 */
export function defineModel<T>(name: string, schema: Schema<T>): (conn: Connection) => Model<T> {
  declared.set(name, schema as unknown as Schema);
  return (conn) => (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
}

/** Compiles every declared model on the connection and waits until its indexes exist. */
export async function ensureIndexes(conn: Connection): Promise<void> {
  for (const [name, schema] of declared) {
    const model = (conn.models[name] as Model<unknown> | undefined) ?? conn.model(name, schema);
    await model.init();
  }
}

/** The declared models (for checks that walk them, e.g. index coverage). */
export function declaredModels(): string[] {
  return [...declared.keys()];
}
