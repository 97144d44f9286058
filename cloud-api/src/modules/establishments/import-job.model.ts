import { Schema } from 'mongoose';
import type { ImportReport } from '@ygsa/shared';
import { defineModel } from '../../data/models';

/** A licence import written in the background, keyed by the SHA-256 of the file's text. */
export interface ImportJobDoc {
  _id: string;
  state: 'writing' | 'done' | 'failed';
  total: number;
  toCreate: number;
  toUpdate: number;
  unchanged: number;
  written: number;
  report: ImportReport | null;
  error: string | null;
  by: string;
  startedAt: Date;
  /** Moved on at every written batch: a writing import that stopped moving was interrupted. */
  updatedAt: Date;
}
const schema = new Schema<ImportJobDoc>(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    total: { type: Number, required: true },
    toCreate: { type: Number, required: true },
    toUpdate: { type: Number, required: true },
    unchanged: { type: Number, required: true },
    written: { type: Number, required: true },
    report: { type: Schema.Types.Mixed, default: null },
    error: { type: String, default: null },
    by: { type: String, required: true },
    startedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'import_jobs', versionKey: false },
);
export const importJobModel = defineModel<ImportJobDoc>('ImportJob', schema);
