import { Schema, type Connection } from 'mongoose';
import { defineModel } from './models';

/**
 * Data migrations done on this database, by name: a read model introduced after data existed is
 * built once from the data (at the API's start), and from then on every reader may trust it.
 */
interface MigrationDoc {
  _id: string;
  doneAt: Date;
}
const migrationModel = defineModel<MigrationDoc>(
  'Migration',
  new Schema<MigrationDoc>(
    { _id: { type: String, required: true }, doneAt: { type: Date, required: true } },
    { collection: 'migrations', versionKey: false },
  ),
);

export async function migrated(db: Connection, name: string): Promise<boolean> {
  return !!(await migrationModel(db).exists({ _id: name }));
}

export async function markMigrated(db: Connection, name: string): Promise<void> {
  await migrationModel(db).updateOne({ _id: name }, { $setOnInsert: { doneAt: new Date() } }, { upsert: true });
}
