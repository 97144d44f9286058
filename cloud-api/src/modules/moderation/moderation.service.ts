import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { MiniApp } from '@ygsa/shared';
import type { Config } from '../../config';
import { AppError } from '../../http/app-error';
import { WeChatError, type ContentScene, type WeChatClient } from '../../integrations/wechat.client';
import type { Logger } from '../../logger';
import { userContact } from '../auth/user.facts';
import { setUploadCheck, uploadCheckState, type CheckState } from '../uploads/upload.service';
import { mediaCheckModel, mediaTraceModel } from './moderation.models';
import { createOnce, upsertOnce } from '../../data/create-once';

/**
 * Content security (UGC). Text another person will see passes WeChat's msgSecCheck before anyone
 * else sees it; photos go through mediaCheckAsync, whose verdict WeChat pushes to us later.
 * Nothing a user submitted is deleted for it: risky text is refused before it is stored (the
 * author is told why), and a photo that is risky or not yet checked is shown only to regulators
 * (and, while unchecked, to the person who took it).
 */

export type ModerationDeps = {
  db: Connection;
  wechat: WeChatClient;
  config: Pick<Config, 'jwt' | 'publicApiUrl'>;
  logger?: Logger;
};

/** What may be shown of a text: to everyone it is meant for ('pass'), or only to its author and regulators. */
export type TextState = 'pass' | 'review' | 'unchecked';

/** The WeChat identity behind a user id, when the user is one of a mini-program's. */
async function wechatIdentity(db: Connection, userId: string): Promise<{ app: MiniApp; openid: string } | null> {
  if (!/^[0-9a-f]{24}$/.test(userId)) return null;
  const user = await userContact(db, userId);
  if (!user?.openid || (user.app !== 'public' && user.app !== 'operator')) return null;
  return { app: user.app, openid: user.openid };
}

/**
 * Checks a text its author wrote for others to see. Risky → CONTENT_RISKY naming the field (nothing
 * is stored); 'review' and an unreachable WeChat → the caller holds the text back from others
 * ('refuse' makes an unreachable WeChat an error instead, for text that has no use until checked).
 */
export async function checkText(
  deps: ModerationDeps,
  input: {
    userId: string;
    scene: ContentScene;
    text: string;
    field: string;
    whenUnchecked: 'hold' | 'refuse';
    /** The message for a risky text; a general one otherwise. */
    riskyMessage?: string;
  },
): Promise<TextState> {
  const text = input.text.trim();
  if (!text) return 'pass';
  const who = await wechatIdentity(deps.db, input.userId);
  // Regulators and the system write as the authority: their text is not user content.
  if (!who) return 'pass';
  try {
    const verdict = await deps.wechat.msgSecCheck(who.app, { openid: who.openid, scene: input.scene, content: text });
    if (verdict.suggest === 'risky') {
      const message = input.riskyMessage ?? '内容含有违规信息，未通过微信内容安全检查，请修改后重新提交';
      throw new AppError('CONTENT_RISKY', { message, details: [{ path: input.field, message }] });
    }
    return verdict.suggest;
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONTENT_RISKY') throw err;
    deps.logger?.warn(
      { field: input.field, errcode: err instanceof WeChatError ? err.errcode : undefined, err },
      'msgSecCheck unavailable',
    );
    if (input.whenUnchecked === 'refuse')
      throw new AppError('WECHAT_UNAVAILABLE', { message: '内容安全检查暂时不可用，请稍后重试', cause: err });
    return 'unchecked';
  }
}

// ---------------------------------------------------------------- photos

/** A signed, expiring address at which WeChat fetches a photo to check it (no login possible there). */
const MEDIA_URL_TTL_S = 6 * 3600;
const mediaKey = (config: Pick<Config, 'jwt'>) =>
  createHmac('sha256', config.jwt.secret).update('ygsa-media-check').digest();

export function mediaCheckUrl(config: Pick<Config, 'jwt' | 'publicApiUrl'>, uploadId: string, now = new Date()) {
  const exp = Math.floor(now.getTime() / 1000) + MEDIA_URL_TTL_S;
  const sig = createHmac('sha256', mediaKey(config)).update(`${uploadId}.${exp}`).digest('base64url');
  return `${config.publicApiUrl}/api/v1/media-check/${uploadId}?e=${exp}&s=${sig}`;
}

export function verifyMediaCheckUrl(
  config: Pick<Config, 'jwt'>,
  uploadId: string,
  exp: number,
  sig: string,
  now = new Date(),
): boolean {
  if (exp < now.getTime() / 1000) return false;
  const expected = createHmac('sha256', mediaKey(config)).update(`${uploadId}.${exp}`).digest('base64url');
  const a = Buffer.from(expected);
  const b = Buffer.from(sig);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** WeChat's verdict may take up to 30 minutes; after this long without one the check is asked again. */
const VERDICT_WAIT_MS = 35 * 60 * 1000;
/** mediaCheckAsync needs a user seen in the last two hours: past that, asking again is pointless. */
const MAX_ATTEMPTS = 4;

/**
 * Asks WeChat to check an uploaded photo (once per content: the same bytes checked before keep
 * their verdict). Uploads of regulators and the system are not user content and need none.
 */
export async function requestMediaCheck(
  deps: ModerationDeps,
  uploadId: string,
  userId: string,
  now = new Date(),
): Promise<CheckState> {
  const state = await uploadCheckState(deps.db, uploadId);
  if (state === null) throw new AppError('NOT_FOUND', { message: '图片不存在' });
  if (state === 'pass' || state === 'review' || state === 'risky') return state;
  const who = await wechatIdentity(deps.db, userId);
  if (!who) {
    // Not user content, unless a user's copy of the same photo is waiting for its check.
    if (await mediaCheckModel(deps.db).exists({ _id: uploadId })) return 'pending';
    await setUploadCheck(deps.db, uploadId, { state: 'exempt' }, ['pass', 'review', 'risky']);
    return 'exempt';
  }
  // A user's copy of a photo first uploaded by a regulator or the system is still checked before others see it.
  await setUploadCheck(deps.db, uploadId, { state: 'pending' }, ['pass', 'review', 'risky']);
  // One ask per photo, however many uploads of it race here; asking again is the job's.
  const { created } = await createOnce(
    mediaCheckModel(deps.db),
    { _id: uploadId },
    { _id: uploadId, app: who.app, openid: who.openid, userId, requestedAt: now, attempts: 1, traceId: null },
  );
  if (created) await askWeChat(deps, uploadId, who, now);
  return 'pending';
}

async function askWeChat(
  deps: ModerationDeps,
  uploadId: string,
  who: { app: MiniApp; openid: string },
  now: Date,
): Promise<void> {
  try {
    const { traceId } = await deps.wechat.mediaCheckAsync(who.app, {
      openid: who.openid,
      scene: 2,
      mediaUrl: mediaCheckUrl(deps.config, uploadId, now),
    });
    await upsertOnce(() =>
      mediaTraceModel(deps.db).updateOne(
        { _id: traceId },
        { $setOnInsert: { uploadId, createdAt: now } },
        { upsert: true },
      ),
    );
    await mediaCheckModel(deps.db).updateOne({ _id: uploadId }, { $set: { traceId } });
  } catch (err) {
    // The check stays pending; the media-check job asks again.
    deps.logger?.warn(
      { uploadId, errcode: err instanceof WeChatError ? err.errcode : undefined, err },
      'mediaCheckAsync not accepted',
    );
  }
}

/** Asks again for photos whose verdict never came (WeChat unreachable, or no push within the wait). */
export async function retryMediaChecks(deps: ModerationDeps, now = new Date()) {
  const due = await mediaCheckModel(deps.db)
    .find({ attempts: { $lt: MAX_ATTEMPTS } })
    .lean();
  let asked = 0;
  for (const c of due) {
    if (c.traceId && now.getTime() - c.requestedAt.getTime() < VERDICT_WAIT_MS) continue;
    if (!c.traceId && now.getTime() - c.requestedAt.getTime() < 60_000) continue;
    await mediaCheckModel(deps.db).updateOne(
      { _id: c._id, attempts: c.attempts },
      { $set: { requestedAt: now, traceId: null }, $inc: { attempts: 1 } },
    );
    await askWeChat(deps, c._id, { app: c.app, openid: c.openid }, now);
    asked += 1;
  }
  return { asked };
}

/** A message push from WeChat (JSON mode), as far as we read it. */
export interface PushEvent {
  Event?: unknown;
  trace_id?: unknown;
  errcode?: unknown;
  result?: { suggest?: unknown; label?: unknown } | null;
}

/**
 * Applies a mediaCheckAsync verdict. Pushes are retried by WeChat and may repeat: applying the same
 * verdict again changes nothing. A verdict WeChat could not reach (errcode ≠ 0) counts as 'review'.
 */
export async function applyMediaVerdict(
  deps: Pick<ModerationDeps, 'db' | 'logger'>,
  event: PushEvent,
  now = new Date(),
) {
  if (event.Event !== 'wxa_media_check' || typeof event.trace_id !== 'string') return { applied: false };
  const trace = await mediaTraceModel(deps.db).findById(event.trace_id).lean();
  if (!trace) {
    deps.logger?.warn({ traceId: event.trace_id }, 'media verdict for an unknown trace id');
    return { applied: false };
  }
  const suggest = event.result?.suggest;
  const state: CheckState =
    Number(event.errcode ?? 0) !== 0
      ? 'review'
      : suggest === 'pass' || suggest === 'risky' || suggest === 'review'
        ? suggest
        : 'review';
  const label = Number(event.result?.label ?? 0) || 0;
  await setUploadCheck(deps.db, trace.uploadId, { state, label, decidedAt: now });
  await mediaCheckModel(deps.db).deleteOne({ _id: trace.uploadId });
  if (state !== 'pass')
    deps.logger?.info({ uploadId: trace.uploadId, state, label }, 'photo held back by content check');
  return { applied: true, uploadId: trace.uploadId, state };
}

/**
 * Whether a viewer the route already allows may see a photo given its check: regulators always;
 * the person who took it unless it was found risky; everyone else once it passed.
 */
export function photoVisible(
  state: CheckState | undefined,
  viewer: { regulator: boolean; uploader: boolean },
): boolean {
  if (viewer.regulator) return true;
  const s = state ?? 'pass'; // photos stored before content checks existed
  if (s === 'pass' || s === 'exempt') return true;
  return viewer.uploader && s !== 'risky';
}

/** WeChat's message-push signature: sha1 of the token, timestamp and nonce sorted as strings. */
export function pushSignatureValid(token: string, q: { signature?: string; timestamp?: string; nonce?: string }) {
  if (!q.signature || !q.timestamp || !q.nonce) return false;
  const expected = createHash('sha1').update([token, q.timestamp, q.nonce].sort().join('')).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(q.signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
