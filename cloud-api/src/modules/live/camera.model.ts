import { Schema, type Types } from 'mongoose';
import { defineModel } from '../../data/models';
import { shopIndexed } from '../../data/shop-index';

export const CAMERA_ZONES = ['prep', 'cooking', 'cold_room', 'washing'] as const;
export type CameraZone = (typeof CAMERA_ZONES)[number];
export const CAMERA_ZONE_LABELS: Record<CameraZone, string> = {
  prep: '切配区',
  cooking: '烹饪区',
  cold_room: '专间',
  washing: '洗消区',
};

export interface CameraDoc {
  _id: Types.ObjectId;
  establishmentId: Types.ObjectId;
  name: string;
  /** Kitchen zones only: a dining-room camera is never registered. */
  zone: CameraZone;
  streamKey: string;
  online: boolean;
  lastSeenAt: Date | null;
  createdAt: Date;
}

const schema = new Schema<CameraDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    zone: { type: String, required: true },
    streamKey: { type: String, required: true },
    online: { type: Boolean, required: true },
    lastSeenAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'cameras', versionKey: false },
);
schema.index({ establishmentId: 1 }, { name: 'by_shop' });
// A shop's cameras in the order its page lists them.
schema.index({ establishmentId: 1, zone: 1, name: 1 }, { name: 'by_shop_zone' });
// The camera-health job: cameras still marked online whose heartbeats stopped, and every offline one.
schema.index({ online: 1, lastSeenAt: 1 }, { name: 'health' });

// Per shop: its cameras (what its page and the live view list); heartbeats change nothing here.
shopIndexed(schema, { collection: 'cameras', fields: ['name', 'zone'] });
export const cameraModel = defineModel<CameraDoc>('Camera', schema);

interface ViewDoc {
  cameraId: Types.ObjectId;
  establishmentId: Types.ObjectId;
  userId: string;
  roles: string[];
  at: Date;
}
const viewSchema = new Schema<ViewDoc>(
  {
    cameraId: { type: Schema.Types.ObjectId, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    roles: { type: [String], required: true },
    at: { type: Date, required: true },
  },
  { collection: 'camera_views', versionKey: false },
);
viewSchema.index({ establishmentId: 1, at: -1 }, { name: 'by_shop' });
export const cameraViewModel = defineModel<ViewDoc>('CameraView', viewSchema);

/** One closed ten-minute recording file on the media server, reported by nginx's on_record_done. */
export interface RecordingDoc {
  _id: string; // the file name: cam_<id>-YYYYMMDD-HHMMSS.flv
  cameraId: Types.ObjectId;
  establishmentId: Types.ObjectId;
  startedAt: Date;
  endedAt: Date;
}
const recordingSchema = new Schema<RecordingDoc>(
  {
    _id: { type: String, required: true },
    cameraId: { type: Schema.Types.ObjectId, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    startedAt: { type: Date, required: true },
    endedAt: { type: Date, required: true },
  },
  { collection: 'recordings', versionKey: false },
);
recordingSchema.index({ cameraId: 1, startedAt: -1 }, { name: 'by_camera' });
// The camera-health job removes recordings past the retention.
recordingSchema.index({ startedAt: 1 }, { name: 'retention' });
export const recordingModel = defineModel<RecordingDoc>('Recording', recordingSchema);

/**
 * One outage of one camera during opening hours. Its id is the camera and the moment it went
 * offline, so however often the job runs, one outage is one alert.
 */
export interface CameraAlertDoc {
  _id: string;
  cameraId: Types.ObjectId;
  establishmentId: Types.ObjectId;
  cameraName: string;
  zone: CameraZone;
  offlineSince: Date;
  openedAt: Date;
  /** When the shop's staff were told (null: nobody could be reached yet). */
  notifiedAt: Date | null;
  /** When the alert became a rectification reminder (still offline after the configured time). */
  rectifyAt: Date | null;
  resolvedAt: Date | null;
}

const alertSchema = new Schema<CameraAlertDoc>(
  {
    _id: { type: String, required: true },
    cameraId: { type: Schema.Types.ObjectId, required: true },
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    cameraName: { type: String, required: true },
    zone: { type: String, required: true },
    offlineSince: { type: Date, required: true },
    openedAt: { type: Date, required: true },
    notifiedAt: { type: Date, default: null },
    rectifyAt: { type: Date, default: null },
    resolvedAt: { type: Date, default: null },
  },
  { collection: 'camera_alerts', versionKey: false },
);
alertSchema.index({ establishmentId: 1, openedAt: -1 }, { name: 'by_shop' });
alertSchema.index({ resolvedAt: 1 }, { name: 'open' });
// Open alerts longest first (regulators' overview); a shop's open alerts (its self-check page).
alertSchema.index({ resolvedAt: 1, offlineSince: 1 }, { name: 'open_by_age' });
alertSchema.index({ establishmentId: 1, resolvedAt: 1 }, { name: 'by_shop_open' });
// The camera-health job: a camera back closes its open alerts; alerts due for a rectification
// notice (and those it just marked); alerts whose staff are not told yet.
alertSchema.index({ cameraId: 1, resolvedAt: 1 }, { name: 'by_camera_open' });
alertSchema.index({ rectifyAt: 1, resolvedAt: 1, openedAt: 1 }, { name: 'to_rectify' });
alertSchema.index({ resolvedAt: 1, notifiedAt: 1 }, { name: 'to_notify' });

// Per shop: its alerts (its list, its open count); for the city: the open ones (the health job's
// work, the regulators' overview).
shopIndexed(alertSchema, { collection: 'camera_alerts', fields: ['openedAt', 'resolvedAt'] });
shopIndexed(alertSchema, {
  collection: 'camera_alerts',
  name: 'open',
  owner: () => 'city',
  buckets: 16,
  include: (a) => !a.resolvedAt,
  fields: ['establishmentId', 'cameraId', 'offlineSince', 'openedAt', 'rectifyAt', 'notifiedAt'],
  watch: ['resolvedAt', 'establishmentId', 'cameraId', 'offlineSince', 'openedAt', 'rectifyAt', 'notifiedAt'],
});
export const cameraAlertModel = defineModel<CameraAlertDoc>('CameraAlert', alertSchema);
