import { Schema, type Types } from 'mongoose';
import { defineModel } from '../../data/models';

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

interface CommitteeDoc {
  establishmentId: Types.ObjectId;
  userId: string;
  /** The parent's name and their child's class, as they gave them when joining. */
  name: string;
  grade: string;
  /** The committee's 召集人 (set by the school). */
  convener: boolean;
  joinedAt: Date;
  revokedAt: Date | null;
}
const committeeSchema = new Schema<CommitteeDoc>(
  {
    establishmentId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    name: { type: String, default: '' },
    grade: { type: String, default: '' },
    convener: { type: Boolean, default: false },
    joinedAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'committee_members', versionKey: false },
);
committeeSchema.index({ establishmentId: 1, userId: 1 }, { unique: true, name: 'member' });
/** A school canteen's parents' committee: the only public viewers of its kitchen. */
export const committeeModel = defineModel<CommitteeDoc>('CommitteeMember', committeeSchema);

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
export const recordingModel = defineModel<RecordingDoc>('Recording', recordingSchema);
