import { Schema, type Types } from 'mongoose';
import type { ComplaintStatus } from '@ygsa/shared';
import { defineModel } from '../../data/models';
import { shopIndexed } from '../../data/shop-index';

export interface ComplaintDoc {
  _id: Types.ObjectId;
  number: string;
  type: 'complaint' | 'report';
  category: string;
  description: string;
  photos: string[];
  /** The listed shop; null for a place not listed, which `shopName` then describes. */
  establishmentId: Types.ObjectId | null;
  shopName: string;
  /** The shop's public position when filed (open data shows it, never the filer's). */
  shopLocation?: { lng: number; lat: number } | null;
  /** 我也遇到: the first report of the matter this one joined (null for a first report). */
  groupId?: Types.ObjectId | null;
  location: { lng: number; lat: number };
  office: string;
  district: string | null;
  outsideDistricts: boolean;
  status: ComplaintStatus;
  /** The legal deadline of the current step, and whether the holiday table covered it. */
  deadline: string | null;
  deadlineComplete: boolean;
  /**
   * Who filed it. Absent for an anonymous report: only a hash of the device's access key is
   * kept, so the filer can follow it and nobody can tell who they are.
   */
  complainant: {
    userId: string;
    name?: string;
    phone?: string;
    /** Whether WeChat verified the phone number for this user (手机号快速验证). */
    phoneVerified?: boolean;
    address?: string;
    request?: string;
  } | null;
  /** WeChat's content check of the description: others see it only once it passed. */
  descriptionCheck?: 'pass' | 'review' | 'unchecked';
  deviceKeyHash: string | null;
  upheld: boolean | null;
  timeline: { status: ComplaintStatus; at: Date; by: string; note: string }[];
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<ComplaintDoc>(
  {
    number: { type: String, required: true },
    type: { type: String, required: true },
    category: { type: String, required: true },
    description: { type: String, required: true },
    photos: { type: [String], default: [] },
    establishmentId: { type: Schema.Types.ObjectId, default: null },
    shopName: { type: String, required: true },
    shopLocation: { type: Schema.Types.Mixed, default: null },
    groupId: { type: Schema.Types.ObjectId, default: null },
    location: { lng: { type: Number, required: true }, lat: { type: Number, required: true } },
    office: { type: String, required: true },
    district: { type: String, default: null },
    outsideDistricts: { type: Boolean, required: true },
    status: { type: String, required: true },
    deadline: { type: String, default: null },
    deadlineComplete: { type: Boolean, required: true },
    complainant: { type: Schema.Types.Mixed, default: null },
    descriptionCheck: { type: String },
    deviceKeyHash: { type: String, default: null },
    upheld: { type: Boolean, default: null },
    timeline: { type: [{ status: String, at: Date, by: String, note: String, _id: false }], default: [] },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'complaints', versionKey: false, minimize: false },
);
schema.index({ idempotencyKey: 1 }, { unique: true, name: 'idempotency' });
schema.index({ number: 1 }, { unique: true, name: 'number' });
schema.index({ establishmentId: 1, createdAt: -1 }, { name: 'by_shop' });
schema.index({ 'complainant.userId': 1, createdAt: -1 }, { name: 'by_filer' });
schema.index({ office: 1, status: 1, deadline: 1 }, { name: 'by_office' });
schema.index({ groupId: 1, createdAt: 1 }, { name: 'by_group' });
// A filer's complaints by device (before sign-in); a shop's open ones nearby (to join), its 投诉,
// its upheld ones (grade); the regulators' overdue list; the open-data feed, newest first.
schema.index({ deviceKeyHash: 1, createdAt: -1 }, { name: 'by_device' });
schema.index({ establishmentId: 1, status: 1, createdAt: -1 }, { name: 'by_shop_status' });
schema.index({ establishmentId: 1, type: 1, createdAt: -1 }, { name: 'by_shop_type' });
schema.index({ establishmentId: 1, upheld: 1, updatedAt: -1 }, { name: 'upheld' });
schema.index({ deadline: 1, createdAt: -1 }, { name: 'by_deadline' });
// The regulators' list of one state across offices (closed matters; open ones read the queues).
schema.index({ status: 1, deadline: 1, createdAt: -1 }, { name: 'by_status' });
schema.index({ createdAt: -1 }, { name: 'recent' });

// Per shop: what the grade counts (upheld), what a diner may join (open nearby), what the shop sees,
// and the matters' parties. Per filer and per device: what a diner follows.
shopIndexed(schema, {
  collection: 'complaints',
  fields: [
    'type',
    'status',
    'upheld',
    'groupId',
    'location',
    'createdAt',
    'updatedAt',
    'deadline',
    'category',
    'office',
    'district',
  ],
});
shopIndexed(schema, { collection: 'complaints', name: 'filer', owner: 'complainant.userId', fields: ['createdAt'] });
shopIndexed(schema, { collection: 'complaints', name: 'device', owner: 'deviceKeyHash', fields: ['createdAt'] });
// The offices' queues: matters not yet closed, per handling office and for the whole city.
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['submitted', 'accepted', 'in_progress'];
const queue = ['status', 'deadline', 'createdAt', 'category', 'type', 'establishmentId', 'office', 'district'] as const;
const isOpen = (c: ComplaintDoc) => OPEN_STATUSES.includes(c.status);
const watch = [...queue];
shopIndexed(schema, {
  collection: 'complaints',
  name: 'office',
  owner: 'office',
  buckets: 16,
  include: isOpen,
  fields: queue,
  watch,
});
shopIndexed(schema, {
  collection: 'complaints',
  name: 'open',
  owner: () => 'city',
  buckets: 16,
  include: isOpen,
  fields: queue,
  watch,
});
export const complaintModel = defineModel<ComplaintDoc>('Complaint', schema);
