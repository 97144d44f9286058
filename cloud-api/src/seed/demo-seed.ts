import { seedDemoEnforcement } from './demo-enforcement';
import { Schema, type Connection, type Model } from 'mongoose';
import type { Config } from '../config';
import { ensureConsoleUser } from '../modules/auth/auth.service';
import { userByUsername } from '../modules/auth/user.facts';
import { ensureRegulatorAccount } from '../modules/regulators/regulator.service';
import { seedDemoCameras, seedDemoDistrict } from './demo-district';

interface SeedRun {
  _id: string;
  appliedAt: Date;
}
const seedRunSchema = new Schema<SeedRun>(
  { _id: { type: String, required: true }, appliedAt: { type: Date, required: true } },
  { collection: 'seed_runs', versionKey: false },
);

interface SeedStep {
  id: string;
  description: string;
  apply(db: Connection, config: Config): Promise<void>;
}

/**
 * Demo data for `npm start`, in versioned steps. Each step runs once per database: its id is
 * recorded in `seed_runs` after it succeeds, and each step's writes are upserts, so a step
 * interrupted half-way is simply run again.
 */
const STEPS: SeedStep[] = [
  {
    id: 'demo-2026-11-accounts',
    description: '演示监管账号',
    async apply(db) {
      await ensureConsoleUser(db, {
        username: 'demo-regulator',
        displayName: '演示监管员（市场监管所）',
        roles: ['regulator'],
      });
    },
  },
  {
    id: 'demo-2026-12-regulator-account',
    description: '演示监管账号的市级管理员权限（仅供本机工具使用；监管人员在监管端小程序以邀请码绑定）',
    async apply(db) {
      const user = await userByUsername(db, 'demo-regulator');
      if (user) await ensureRegulatorAccount(db, String(user._id), { name: '演示监管员', role: 'city_admin' });
    },
  },
  {
    id: 'demo-2026-11-district',
    description: '示范区 13 家门店及其检查、处罚、事故记录（含许可证过期门店）',
    apply: (db, config) => seedDemoDistrict(db, config),
  },
  {
    id: 'demo-2026-11-cameras',
    description: '演示后厨摄像头（阳光小厨、示范区实验小学食堂）',
    apply: (db) => seedDemoCameras(db),
  },
  {
    id: 'demo-2026-11-enforcement',
    description: '鲜味海鲜酒楼：AI 抓拍盒子、抓拍提醒、整改通知、待签收的非现场执法案件',
    async apply(db, config) {
      await seedDemoCameras(db);
      await seedDemoEnforcement(db, config);
    },
  },
];

export async function seedDemoData(db: Connection, config: Config): Promise<{ applied: string[]; skipped: string[] }> {
  const Runs = (db.models.SeedRun as Model<SeedRun> | undefined) ?? db.model<SeedRun>('SeedRun', seedRunSchema);
  const applied: string[] = [];
  const skipped: string[] = [];
  for (const step of STEPS) {
    if (await Runs.exists({ _id: step.id })) {
      skipped.push(step.id);
      continue;
    }
    await step.apply(db, config);
    await Runs.updateOne({ _id: step.id }, { $setOnInsert: { appliedAt: new Date() } }, { upsert: true });
    applied.push(`${step.id}（${step.description}）`);
  }
  return { applied, skipped };
}
