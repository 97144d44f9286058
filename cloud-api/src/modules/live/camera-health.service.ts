import type { Connection, Types } from 'mongoose';
import { openedAt, type Jurisdiction } from '@ygsa/shared';
import type { Config } from '../../config';
import type { WeChatClient } from '../../integrations/wechat.client';
import type { Logger } from '../../logger';
import { shopNames, type EstablishmentDoc } from '../establishments/establishment.facts';
import { directoryOf, shopIdsInDistricts } from '../establishments/shop-directory';
import { messageStaff } from '../notify/messages';
import { parseObjectId } from '../establishments/establishment.service';
import { issueNotice, type EnforcementDeps } from '../enforcement/enforcement.service';
import { CAMERA_ZONE_LABELS, cameraAlertModel, cameraModel, recordingModel, type CameraAlertDoc } from './camera.model';
import { indexedDocs, shopDocs, shopIndexOf } from '../../data/shop-index';
import { findByIds } from '../../data/by-ids';

/** The city's open alerts that `where` accepts (one index document, then those alerts by _id). */
const openAlertsWhere = (db: Connection, where: (a: CameraAlertDoc) => boolean) =>
  indexedDocs(db, cameraAlertModel(db), 'city', 'open', where);

/** Closes these alerts, one by one (each by _id, so each shop's index follows). */
async function resolve(db: Connection, alerts: CameraAlertDoc[], now: Date) {
  for (const a of alerts) await cameraAlertModel(db).updateOne({ _id: a._id }, { $set: { resolvedAt: now } });
}

export async function resolveAlerts(db: Connection, cameraId: Types.ObjectId, now: Date) {
  await resolve(db, await openAlertsWhere(db, (a) => String(a.cameraId) === String(cameraId)), now);
}

export function alertView(a: CameraAlertDoc, now = new Date()) {
  const end = a.resolvedAt ?? now;
  return {
    id: a._id,
    cameraId: String(a.cameraId),
    establishmentId: String(a.establishmentId),
    cameraName: a.cameraName,
    zone: a.zone,
    zoneLabel: CAMERA_ZONE_LABELS[a.zone],
    offlineSince: a.offlineSince.toISOString(),
    openedAt: a.openedAt.toISOString(),
    offlineMinutes: Math.max(0, Math.round((end.getTime() - a.offlineSince.getTime()) / 60_000)),
    level: a.resolvedAt ? ('resolved' as const) : a.rectifyAt ? ('rectify' as const) : ('alert' as const),
    notifiedAt: a.notifiedAt?.toISOString() ?? null,
    rectifyAt: a.rectifyAt?.toISOString() ?? null,
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
  };
}

/** A shop's open alerts first, then the last 30 days' resolved ones. */
export async function alertsOf(db: Connection, establishmentId: string, now = new Date()) {
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const rows = await shopDocs(db, cameraAlertModel(db), parseObjectId(establishmentId), {
    by: 'openedAt',
    limit: 200,
    where: (a) => new Date(a.openedAt) >= since,
  });
  const views = rows.map((a) => alertView(a, now));
  return [...views.filter((a) => a.level !== 'resolved'), ...views.filter((a) => a.level === 'resolved')];
}

/** Every open alert in the caller's jurisdiction, longest first (regulators' overview). */
export async function openAlerts(db: Connection, jurisdiction: Jurisdiction, now = new Date()) {
  const mine = jurisdiction.city ? null : await shopIdsInDistricts(db, jurisdiction.districts);
  const rows = (await openAlertsWhere(db, (a) => !mine || mine.has(String(a.establishmentId))))
    .sort((a, b) => a.offlineSince.getTime() - b.offlineSince.getTime())
    .slice(0, 500);
  const names = await shopNames(
    db,
    rows.map((r) => r.establishmentId),
  );
  return rows.map((a) => ({ ...alertView(a, now), shopName: names.get(String(a.establishmentId)) ?? '' }));
}

type HealthDeps = {
  db: Connection;
  wechat: WeChatClient;
  config: Pick<Config, 'cameraHealth' | 'media' | 'wechat'> & EnforcementDeps['config'];
  logger?: Logger;
};

/**
 * The camera-health job. A camera that stopped sending heartbeats is marked offline; a camera
 * offline for the configured minutes of a shop's opening hours raises an alert for the shop's
 * owner, 总监 and 安全员; an alert still open after the rectification time becomes a
 * rectification reminder. Cameras are offline outside opening hours without consequence.
 */
export async function checkCameraHealth(deps: HealthDeps, now = new Date()) {
  const { db } = deps;
  const cfg = deps.config.cameraHealth;
  const Cameras = cameraModel(db);
  const Alerts = cameraAlertModel(db);

  // nginx that died without on_publish_done leaves cameras "online": three missed heartbeats end it.
  const stale = new Date(now.getTime() - 3 * cfg.heartbeatSeconds * 1000);
  const silenced = await Cameras.updateMany({ online: true, lastSeenAt: { $lt: stale } }, { $set: { online: false } });

  const offline = await Cameras.find({ online: false }).lean();
  // The shops' opening hours from the directory (memory), and the outages already alerted (the
  // city's open alerts): a camera that stays offline costs nothing more on each run.
  const dir = await directoryOf(db, now);
  const shops = new Map<string, EstablishmentDoc>();
  for (const c of offline) {
    const est = dir.get(String(c.establishmentId))?.est;
    if (est) shops.set(String(c.establishmentId), est);
  }
  const alerted = new Set((await shopIndexOf(db, Alerts, 'city', 'open')).map((a) => a.id));
  let opened = 0;
  for (const cam of offline) {
    const shop = shops.get(String(cam.establishmentId));
    if (!shop) continue;
    const since = cam.lastSeenAt ?? cam.createdAt;
    if (alerted.has(`${String(cam._id)}:${since.toISOString()}`)) continue;
    const open = openedAt(shop.openingHours, now);
    if (!open) continue;
    // Only minutes of opening hours count: a camera that went off overnight gets the same grace.
    const countedFrom = since > open ? since : open;
    if (now.getTime() - countedFrom.getTime() < cfg.alertMinutes * 60_000) continue;
    const id = `${String(cam._id)}:${since.toISOString()}`;
    const res = await Alerts.updateOne(
      { _id: id },
      {
        $setOnInsert: {
          cameraId: cam._id,
          establishmentId: cam.establishmentId,
          cameraName: cam.name,
          zone: cam.zone,
          offlineSince: since,
          openedAt: now,
          notifiedAt: null,
          rectifyAt: null,
          resolvedAt: null,
        },
      },
      { upsert: true },
    );
    if (res.upsertedCount) opened += 1;
  }

  // Alerts whose camera is back (a missed callback) are closed here too. Decided on the open
  // alerts' index entries; only the alerts that change are read.
  const open = await shopIndexOf(db, Alerts, 'city', 'open');
  const offlineIds = new Set(offline.map((c) => String(c._id)));
  const back = open.filter((a) => !offlineIds.has(String(a.cameraId))).map((a) => a.id);
  await resolve(db, await findByIds(Alerts, back), now);

  const rectifyBefore = new Date(now.getTime() - cfg.rectifyMinutes * 60_000);
  const dueIds = open
    .filter((a) => offlineIds.has(String(a.cameraId)) && !a.rectifyAt && new Date(a.openedAt) <= rectifyBefore)
    .map((a) => a.id);
  const due = await findByIds(Alerts, dueIds);
  for (const a of due) await Alerts.updateOne({ _id: a._id }, { $set: { rectifyAt: now, notifiedAt: null } });
  const escalated = { modifiedCount: due.length };

  // A camera kept offline past the rectification time gets a rectification notice (once per outage).
  if (due.length) {
    for (const a of due) {
      await issueNotice(
        { db, config: deps.config },
        a.establishmentId,
        {
          key: `camera:${a._id}`,
          topic: 'camera_offline',
          source: 'camera',
          reason: `${CAMERA_ZONE_LABELS[a.zone]}「${a.cameraName}」营业时间离线超过 ${cfg.rectifyMinutes} 分钟`,
        },
        { id: 'system', role: 'system' },
        now,
      );
    }
  }

  const notified = await notifyStaff(deps, now, shops);
  // The media server deletes recording files past the retention; their index entries go too.
  await recordingModel(db).deleteMany({
    startedAt: { $lt: new Date(now.getTime() - deps.config.media.retentionDays * 86_400_000) },
  });
  const result = { silenced: silenced.modifiedCount, opened, escalated: escalated.modifiedCount, notified };
  if (Object.values(result).some(Boolean)) deps.logger?.info(result, 'camera health');
  return result;
}

/** Tells the shop's owner, 总监 and 安全员 about each alert not yet told (a subscribe message each). */
async function notifyStaff(deps: HealthDeps, now: Date, shops: Map<string, { name: string }>) {
  const pending = await openAlertsWhere(deps.db, (a) => !a.notifiedAt);
  let told = 0;
  for (const alert of pending) {
    const done = await messageStaff(
      deps,
      alert.establishmentId,
      ['owner', 'director', 'safety_officer'],
      'cameraAlert',
      {
        shop: shops.get(String(alert.establishmentId))?.name ?? '门店',
        device: `${alert.cameraName}离线`,
        advice: alert.rectifyAt ? '长时间离线，请立即整改' : '营业时间摄像头离线，请检查',
        since: alert.offlineSince,
      },
      'cameras',
      { shop: String(alert.establishmentId) },
    );
    if (done) {
      await cameraAlertModel(deps.db).updateOne({ _id: alert._id }, { $set: { notifiedAt: now } });
      told += 1;
    }
  }
  return told;
}
