import { Schema } from 'mongoose';
import { defineModel } from '../../data/models';

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/**
 * WeChat's content check of a photo: pending until its verdict arrives; exempt when only
 * regulators or the system have uploaded it (not user content).
 */

export type CheckState = 'pending' | 'pass' | 'review' | 'risky' | 'exempt';
export interface UploadCheck {
  state: CheckState;
  label?: number;
  decidedAt?: Date;
}

export interface UploadDoc {
  _id: string; // sha256 of the content
  type: ImageType;
  size: number;
  uploadedBy: string[];
  /** Absent on photos stored before content checks existed (treated as passed). */
  check?: UploadCheck | null;
  /**
   * The shops whose members may see it: those whose records (self-checks, notices and replies,
   * cases, captures) use it, added by the writers of those records. Absent on photos stored before
   * it existed: those are looked for in the records.
   */
  shops?: string[];
  /** Where the complaints that use it are handled and about ("office:<name>", "district:<name>"). */
  places?: string[];
  /**
   * Whether `shops` and `places` say every use (photos stored since they do). A separate flag:
   * the embedded database drops an empty list given in `$setOnInsert`.
   */
  usesKnown?: boolean;
  createdAt: Date;
}
const uploadSchema = new Schema<UploadDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    size: { type: Number, required: true },
    uploadedBy: { type: [String], required: true },
    check: { type: Schema.Types.Mixed, default: undefined },
    shops: { type: [String], default: undefined },
    places: { type: [String], default: undefined },
    usesKnown: { type: Boolean, default: undefined },
    createdAt: { type: Date, required: true },
  },
  { collection: 'uploads', versionKey: false },
);
export const uploadModel = defineModel<UploadDoc>('Upload', uploadSchema);
