import { Schema } from 'mongoose';
import type { MiniApp } from '@ygsa/shared';
import { defineModel } from '../../data/models';

/** A photo waiting for WeChat's verdict (removed once it arrives), by upload id. */
export interface MediaCheckDoc {
  _id: string;
  app: MiniApp;
  openid: string;
  userId: string;
  /** WeChat's trace id of the latest ask; absent while the ask has not been accepted. */
  traceId?: string | null;
  requestedAt: Date;
  attempts: number;
}
const mediaCheckSchema = new Schema<MediaCheckDoc>(
  {
    _id: { type: String, required: true },
    app: { type: String, required: true },
    openid: { type: String, required: true },
    userId: { type: String, required: true },
    traceId: { type: String, default: null },
    requestedAt: { type: Date, required: true },
    attempts: { type: Number, required: true, default: 0 },
  },
  { collection: 'media_checks', versionKey: false },
);
// The retry job: checks still under their attempt limit.
mediaCheckSchema.index({ attempts: 1 }, { name: 'retry' });

export const mediaCheckModel = defineModel<MediaCheckDoc>('MediaCheck', mediaCheckSchema);

/** WeChat's trace id of each check asked, to find the photo a pushed verdict is about (by _id). */
export interface MediaTraceDoc {
  _id: string;
  uploadId: string;
  createdAt: Date;
}
const mediaTraceSchema = new Schema<MediaTraceDoc>(
  {
    _id: { type: String, required: true },
    uploadId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'media_check_traces', versionKey: false },
);

export const mediaTraceModel = defineModel<MediaTraceDoc>('MediaTrace', mediaTraceSchema);
