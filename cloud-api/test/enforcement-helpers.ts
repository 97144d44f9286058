import { expect } from '@jest/globals';
import { signCapture } from '../src/modules/enforcement/webhook.service';
import { signIn, type TestApi } from './helpers';
import { asRegulator, key } from './shops';

/** The smallest valid PNG (1×1). */
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082',
  'hex',
);
export const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

/** An AI box as a city would install one: registered by a regulator, signing each request. */
export async function aiBox(api: TestApi, shopId: string) {
  const device = await api.http
    .post(`/api/v1/regulator/establishments/${shopId}/ai-devices`)
    .set(asRegulator)
    .send({ name: '后厨 AI 盒子' });
  expect(device.status).toBe(201);
  const camera = await api.http
    .post(`/api/v1/regulator/establishments/${shopId}/cameras`)
    .set(asRegulator)
    .send({ name: '烹饪区摄像头', zone: 'cooking' });
  return { id: device.body.id as string, key: device.body.key as string, cameraId: camera.body.id as string };
}

export function captureRequest(
  box: { id: string; key: string; cameraId: string },
  fields: Record<string, string>,
  opts: { timestamp?: number; key?: string; snapshot?: Buffer } = {},
) {
  const boundary = `----ygsa${key()}`;
  const parts: Buffer[] = [];
  const all = {
    event_id: `evt-${key()}`,
    camera_id: box.cameraId,
    category: 'no_mask',
    captured_at: new Date().toISOString(),
    confidence: '0.93',
    ...fields,
  };
  for (const [name, value] of Object.entries(all)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="snapshot"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    opts.snapshot ?? PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  const body = Buffer.concat(parts);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    body,
    eventId: all.event_id,
    headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'X-Device-Id': box.id,
      'X-Timestamp': timestamp,
      'X-Signature': signCapture(opts.key ?? box.key, timestamp, body),
    },
  };
}

export async function postCapture(api: TestApi, req: ReturnType<typeof captureRequest>) {
  return api.http.post('/api/v1/ai/captures').set(req.headers).send(req.body);
}

/** An owner bound to the shop in the operator app. */
export async function ownerOf(
  api: TestApi,
  shopId: string,
  role: 'owner' | 'safety_officer' = 'owner',
  ownerToken?: string,
) {
  const inv =
    role === 'owner'
      ? await api.http.post(`/api/v1/regulator/establishments/${shopId}/invitations`).set(asRegulator).send({ role })
      : await api.http
          .post(`/api/v1/operator/shops/${shopId}/invitations`)
          .set(auth(ownerToken ?? ''))
          .send({ role });
  const name = `${role}-${key()}`;
  const who = await signIn(api, 'operator', name);
  await api.http.post('/api/v1/operator/bind').set(auth(who.token)).send({ code: inv.body.code }).expect(200);
  // The operator app asks for all its messages in one tap; each tap allows one message of each.
  await api.wechat.consent('operator', name, ['selfCheckReminder', 'enforcementNotice', 'cameraAlert'], 5);
  return who.token;
}
