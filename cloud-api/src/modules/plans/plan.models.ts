import { Schema, type Types } from 'mongoose';
import type { DrawInput, RiskLevel, TaskOutcome } from '@ygsa/shared';
import { defineModel } from '../../data/models';
import { shopIndexed } from '../../data/shop-index';

/**
 * A 双随机 plan: its request, its seed and its state. The draw's exact input is kept beside it
 * (plan_inputs, same _id) so the draw can be run again by anyone from the open data, and so a
 * plan whose writing stopped halfway is finished from the same input by the request's retry.
 */
export interface PlanDoc {
  _id: Types.ObjectId;
  number: string;
  title: string;
  from: string;
  to: string;
  districts: string[];
  count: number;
  seed: string;
  state: 'drawing' | 'published';
  eligible: number;
  drawn: number;
  unassigned: number;
  createdBy: string;
  createdByName: string;
  idempotencyKey: string;
  createdAt: Date;
  publishedAt: Date | null;
}
const planSchema = new Schema<PlanDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    number: { type: String, required: true },
    title: { type: String, required: true },
    from: { type: String, required: true },
    to: { type: String, required: true },
    districts: { type: [String], default: [] },
    count: { type: Number, required: true },
    seed: { type: String, required: true },
    state: { type: String, required: true },
    eligible: { type: Number, default: 0 },
    drawn: { type: Number, default: 0 },
    unassigned: { type: Number, default: 0 },
    createdBy: { type: String, required: true },
    createdByName: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    publishedAt: { type: Date, default: null },
  },
  { collection: 'inspection_plans', versionKey: false },
);
planSchema.index({ idempotencyKey: 1 }, { unique: true, name: 'idempotency' });
// Plans, newest first (a city draws a few a quarter: the list stays short).
planSchema.index({ createdAt: -1 }, { name: 'recent' });
export const planModel = defineModel<PlanDoc>('InspectionPlan', planSchema);

export interface PlanInputDoc {
  _id: Types.ObjectId;
  shops: DrawInput['shops'];
  inspectors: DrawInput['inspectors'];
  /** Names for the tasks (not part of the draw). */
  names: { shops: Record<string, string>; inspectors: Record<string, string> };
}
const planInputSchema = new Schema<PlanInputDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    shops: { type: Schema.Types.Mixed, required: true },
    inspectors: { type: Schema.Types.Mixed, required: true },
    names: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'plan_inputs', versionKey: false, minimize: false },
);
export const planInputModel = defineModel<PlanInputDoc>('PlanInput', planInputSchema);

/** One drawn shop of a plan and the two inspectors drawn for it. */
export interface PlanTaskDoc {
  _id: Types.ObjectId;
  planId: string;
  planTitle: string;
  due: string;
  from: string;
  order: number;
  establishmentId: Types.ObjectId;
  shopName: string;
  district: string;
  risk: RiskLevel;
  inspectors: string[];
  inspectorNames: string[];
  unassigned: string | null;
  status: 'assigned' | 'done';
  outcome: TaskOutcome | null;
  note: string | null;
  inspection: { id: string; date: string; total: number } | null;
  doneBy: string | null;
  doneAt: Date | null;
}
const taskSchema = new Schema<PlanTaskDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    planId: { type: String, required: true },
    planTitle: { type: String, required: true },
    due: { type: String, required: true },
    from: { type: String, required: true },
    order: { type: Number, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    shopName: { type: String, required: true },
    district: { type: String, required: true },
    risk: { type: String, required: true },
    inspectors: { type: [String], default: [] },
    inspectorNames: { type: [String], default: [] },
    unassigned: { type: String, default: null },
    status: { type: String, required: true },
    outcome: { type: String, default: null },
    note: { type: String, default: null },
    inspection: { type: Schema.Types.Mixed, default: null },
    doneBy: { type: String, default: null },
    doneAt: { type: Date, default: null },
  },
  { collection: 'plan_tasks', versionKey: false },
);
taskSchema.index({ planId: 1, establishmentId: 1 }, { unique: true, name: 'plan_shop' });
// A shop's tasks (MongoDB: the per-shop index's rebuild).
taskSchema.index({ establishmentId: 1 }, { name: 'shop' });
// Each inspector's (the rebuild of their index; a positional path is an index key of its own).
taskSchema.index({ 'inspectors.0': 1 }, { name: 'first_inspector' });
taskSchema.index({ 'inspectors.1': 1 }, { name: 'second_inspector' });
const TASK_FIELDS = ['status', 'order', 'due', 'from', 'inspectors'] as const;
// Per shop: its tasks (an inspection recorded there completes the open one of its inspector).
shopIndexed(taskSchema, { collection: 'plan_tasks', fields: [...TASK_FIELDS] });
// Per plan: its tasks in the order drawn.
shopIndexed(taskSchema, { collection: 'plan_tasks', name: 'plan', owner: 'planId', fields: [...TASK_FIELDS] });
// Per inspector (the first and the second of each pair): their list of tasks.
shopIndexed(taskSchema, { collection: 'plan_tasks', name: 'first', owner: 'inspectors.0', fields: [...TASK_FIELDS] });
shopIndexed(taskSchema, { collection: 'plan_tasks', name: 'second', owner: 'inspectors.1', fields: [...TASK_FIELDS] });
export const planTaskModel = defineModel<PlanTaskDoc>('PlanTask', taskSchema);
