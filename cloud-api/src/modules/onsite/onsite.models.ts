import { Schema, type Types } from 'mongoose';
import type { BusinessType, ItemResult } from '@ygsa/shared';
import { defineModel } from '../../data/models';
import { shopIndexed } from '../../data/shop-index';

/**
 * A 现场监督检查 from its first answer to its record: the answers as the inspectors give them
 * (an array: item codes hold dots), the record's text and hash once finished, each signature
 * with the hash it signed, and what recording it made (the inspection record, the notices).
 */
export interface OnsiteDoc {
  _id: Types.ObjectId;
  idempotencyKey: string;
  establishmentId: Types.ObjectId;
  district: string;
  shopName: string;
  licenceNo: string;
  address: string;
  businessType: BusinessType;
  date: string;
  state: 'draft' | 'signing' | 'recorded';
  inspectors: { userId: string; name: string; certificateNo: string }[];
  answers: { code: string; result: ItemResult; note: string | null; photos: string[] }[];
  text: string | null;
  documentSha256: string | null;
  signatures: {
    role: 'inspector' | 'representative';
    userId: string | null;
    name: string;
    title: string | null;
    image: string;
    documentSha256: string;
    at: Date;
  }[];
  recordId: string | null;
  noticeIds: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}
const onsiteSchema = new Schema<OnsiteDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    idempotencyKey: { type: String, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    district: { type: String, required: true },
    shopName: { type: String, required: true },
    licenceNo: { type: String, required: true },
    address: { type: String, required: true },
    businessType: { type: String, required: true },
    date: { type: String, required: true },
    state: { type: String, required: true },
    inspectors: { type: Schema.Types.Mixed, required: true },
    answers: { type: Schema.Types.Mixed, default: [] },
    text: { type: String, default: null },
    documentSha256: { type: String, default: null },
    signatures: { type: Schema.Types.Mixed, default: [] },
    recordId: { type: String, default: null },
    noticeIds: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'onsite_inspections', versionKey: false, minimize: false },
);
onsiteSchema.index({ idempotencyKey: 1 }, { unique: true, name: 'idempotency' });
// A shop's inspections (MongoDB: the per-shop index's rebuild).
onsiteSchema.index({ establishmentId: 1 }, { name: 'shop' });
// Each inspector's (MongoDB: the rebuild of their index; a positional path is an index key of its own).
onsiteSchema.index({ 'inspectors.0.userId': 1 }, { name: 'first_inspector' });
onsiteSchema.index({ 'inspectors.1.userId': 1 }, { name: 'second_inspector' });
const FIELDS = ['state', 'date', 'establishmentId', 'updatedAt'] as const;
// Per shop, and per inspector (the first and the second): their drafts and records.
shopIndexed(onsiteSchema, { collection: 'onsite_inspections', fields: [...FIELDS] });
shopIndexed(onsiteSchema, {
  collection: 'onsite_inspections',
  name: 'first',
  owner: 'inspectors.0.userId',
  fields: [...FIELDS],
});
shopIndexed(onsiteSchema, {
  collection: 'onsite_inspections',
  name: 'second',
  owner: 'inspectors.1.userId',
  fields: [...FIELDS],
});
export const onsiteModel = defineModel<OnsiteDoc>('OnsiteInspection', onsiteSchema);
