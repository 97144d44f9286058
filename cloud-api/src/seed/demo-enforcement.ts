// Demo enforcement for 鲜味海鲜酒楼: an AI box that reports through the real webhook path
// (signed multipart requests into receiveCapture), so the ladder makes a reminder and a notice;
// and a case a regulator opened, waiting for the owner's consent, response and signature.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import type { Connection } from 'mongoose';
import { CAPTURE_CATEGORY_LABELS, chinaDateTime, type CaptureCategory } from '@ygsa/shared';
import type { Config } from '../config';
import { shopByLicence } from '../modules/establishments/establishment.facts';
import { cameraNamed } from '../modules/live/camera.facts';
import { caseExists, deviceOfShop } from '../modules/enforcement/enforcement.facts';
import { openCase } from '../modules/enforcement/enforcement.service';
import { receiveCapture, registerDevice, signCapture } from '../modules/enforcement/webhook.service';
import { createInvitation, usableInvitation } from '../modules/members/member.service';
import { userByUsername } from '../modules/auth/user.facts';

export const DEMO_ENFORCEMENT_LICENCE = 'JY13301020260012';
export const DEMO_ENFORCEMENT_CAMERA = '海鲜酒楼 烹饪区';

/** A snapshot as an AI box would send it: a kitchen frame with the detection box drawn. */
function snapshot(config: Config, category: CaptureCategory, at: Date): Buffer {
  const label = CAPTURE_CATEGORY_LABELS[category];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">
  <rect width="640" height="360" fill="#3d4a52"/>
  <rect x="0" y="250" width="640" height="110" fill="#6b7b84"/>
  <circle cx="320" cy="150" r="40" fill="#e8c9a8"/>
  <rect x="270" y="190" width="100" height="120" rx="20" fill="#f2f2f2"/>
  <rect x="250" y="95" width="140" height="225" fill="none" stroke="#ff3b30" stroke-width="4"/>
  <rect x="250" y="62" width="150" height="32" fill="#ff3b30"/>
  <text x="258" y="86" font-size="22" fill="#fff">${label}</text>
  <text x="16" y="340" font-size="20" fill="#fff">${chinaDateTime(at)} · 烹饪区</text>
</svg>`;
  const fontFiles = existsSync(config.qr.posterFontFile) ? [config.qr.posterFontFile] : [];
  return Buffer.from(
    new Resvg(svg, { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'Noto Sans CJK SC' } })
      .render()
      .asPng(),
  );
}

function multipart(fields: Record<string, string>, file: Buffer) {
  const boundary = `----demo${randomBytes(6).toString('hex')}`;
  const body = Buffer.concat([
    ...Object.entries(fields).map(([k, v]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="snapshot"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function seedDemoEnforcement(db: Connection, config: Config, now = new Date()): Promise<void> {
  const est = await shopByLicence(db, DEMO_ENFORCEMENT_LICENCE);
  if (!est) return;
  const camera = await cameraNamed(db, est._id, DEMO_ENFORCEMENT_CAMERA);
  if (!camera) return;
  const regulator = await userByUsername(db, 'demo-regulator');
  const regulatorId = String(regulator?._id ?? 'demo-regulator');
  const existing = await deviceOfShop(db, est._id);
  const registered = existing ? null : await registerDevice(db, String(est._id), '海鲜酒楼 AI 盒子', regulatorId);
  const device = { id: registered?.id ?? existing?.id ?? '', key: registered?.key ?? existing?.key ?? '' };

  const deps = {
    db,
    config,
    uploadDir: config.uploadDir,
    replayWindowSeconds: config.ai.replayWindowSeconds,
  };
  const events: [string, CaptureCategory, number][] = [
    ['demo-no-mask-1', 'no_mask', 3 * 3600_000],
    ['demo-pests-1', 'pests', 26 * 3600_000],
    ['demo-smoking-1', 'smoking', 50 * 3600_000],
  ];
  const ids: Record<string, string> = {};
  for (const [eventId, category, ago] of events) {
    const at = new Date(now.getTime() - ago);
    const { body, contentType } = multipart(
      {
        event_id: eventId,
        camera_id: String(camera._id),
        category,
        captured_at: at.toISOString(),
        confidence: '0.92',
      },
      snapshot(config, category, at),
    );
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const result = await receiveCapture(
      deps,
      {
        'content-type': contentType,
        'x-device-id': device.id,
        'x-timestamp': timestamp,
        'x-signature': signCapture(device.key, timestamp, body),
      },
      body,
      now,
    );
    ids[eventId] = result.id;
  }
  if (!(await caseExists(db, est._id, 'regulator:demo-case-smoking'))) {
    await openCase(
      { db, config },
      String(est._id),
      {
        idempotencyKey: 'demo-case-smoking',
        category: 'smoking',
        captureIds: [ids['demo-smoking-1'] as string],
        photos: [],
        notes: '调阅监控录像核实：厨师在烹饪区吸烟约 2 分钟，烟头随手丢弃于操作台旁。',
      },
      { userId: regulatorId, roles: ['regulator'] },
      now,
    );
  }
}

/**
 * An owner invitation code for the demo enforcement shop (development only), reused while it
 * has uses and days left, so `npm start` can tell who runs it how to act as that shop's owner.
 */
export async function demoOwnerCode(db: Connection, now = new Date()) {
  const est = await shopByLicence(db, DEMO_ENFORCEMENT_LICENCE);
  if (!est) return null;
  const live = await usableInvitation(db, est._id, 'owner', new Date(now.getTime() + 86_400_000));
  const code =
    live?.code ??
    (await createInvitation(db, String(est._id), { role: 'owner', maxUses: 20, expiresInDays: 30 }, 'demo-seed', now))
      .code;
  return { shop: est.name, code };
}
