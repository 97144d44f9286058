import { Schema, type Types } from 'mongoose';
import type { BusinessType, CreditGrade, EstablishmentStatus } from '@ygsa/shared';
import { defineModel } from '../../data/models';

export interface EstablishmentDoc {
  _id: Types.ObjectId;
  /** Short public code printed in QR payloads (8 chars, no look-alike characters). */
  code: string;
  name: string;
  licence: { number: string; type: 'food_business' | 'small_catering'; validFrom: string; validTo: string };
  address: string;
  district: string;
  location: { lng: number; lat: number; crs: 'GCJ02' | 'WGS84' | 'BD09' };
  businessType: BusinessType;
  floorAreaM2: number;
  dinersPerMeal: number;
  status: EstablishmentStatus;
  licensedAt: string;
  openingHours: string;
  qr: { version: number; revoked: boolean; changedAt: Date };
  /** The grade shown now; recomputed when an input changes or its validUntil passes. */
  grade: CreditGrade;
  /** The business's reply; public only once WeChat's content check passed it (absent check: from before checks). */
  reply?: { text: string; updatedAt: Date; by: string; check?: 'pass' | 'review' } | null;
  /** Replies that were replaced or withdrawn: what an owner published is never lost. */
  replyHistory?: {
    text: string;
    updatedAt: Date;
    by: string;
    check?: string;
    ended: 'replaced' | 'withdrawn';
    endedAt: Date;
    endedBy: string;
  }[];
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<EstablishmentDoc>(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    licence: {
      number: { type: String, required: true },
      type: { type: String, required: true },
      validFrom: { type: String, required: true },
      validTo: { type: String, required: true },
    },
    address: { type: String, required: true },
    district: { type: String, required: true },
    location: {
      lng: { type: Number, required: true },
      lat: { type: Number, required: true },
      crs: { type: String, required: true },
    },
    businessType: { type: String, required: true },
    floorAreaM2: { type: Number, required: true },
    dinersPerMeal: { type: Number, required: true },
    status: { type: String, required: true },
    licensedAt: { type: String, required: true },
    openingHours: { type: String, required: true },
    qr: {
      version: { type: Number, required: true },
      revoked: { type: Boolean, required: true },
      changedAt: { type: Date, required: true },
    },
    grade: { type: Schema.Types.Mixed, required: true },
    reply: { type: Schema.Types.Mixed, default: null },
    replyHistory: { type: [Schema.Types.Mixed], default: undefined },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'establishments', versionKey: false, minimize: false },
);
schema.index({ code: 1 }, { unique: true, name: 'code' });
schema.index({ 'licence.number': 1 }, { unique: true, name: 'licence_number' });
schema.index({ district: 1, name: 1 }, { name: 'district_name' });
// Regulators' pages of a district's shops in these states, in id order.
schema.index({ district: 1, status: 1, _id: 1 }, { name: 'district_status' });
// Nearby search is a plain range query on a box, then exact distances in the app (no geo index on FerretDB).
schema.index({ 'location.lat': 1, 'location.lng': 1 }, { name: 'lat_lng' });
// The grade-refresh job finds grades that time has outdated.
schema.index({ 'grade.computedAt': 1 }, { name: 'grade_computed' });
schema.index({ 'grade.validUntil': 1 }, { name: 'grade_valid_until' });

export const establishmentModel = defineModel<EstablishmentDoc>('Establishment', schema);
