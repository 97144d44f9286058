// @ts-check
// What a camera AI box sends: a signed multipart capture with a snapshot (the benchmarks use it).
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

const picture = readFileSync(join(ROOT, 'tests', 'e2e', 'fixtures', 'kitchen.png'));
export const SNAPSHOT_KB = Math.round(picture.length / 1024);
let n = 0;

/**
 * Posts one new capture event from `device` about `cameraId`; throws unless it is stored (201).
 * @param {string} api @param {{ id: string, key: string }} device @param {string} cameraId
 * @param {{ category?: string, capturedAt?: Date }} [opts]
 */
export async function sendCapture(api, device, cameraId, opts = {}) {
  n += 1;
  const boundary = `----bench${n}`;
  const fields = {
    event_id: `bench-${n}-${randomBytes(3).toString('hex')}`,
    camera_id: cameraId,
    category: opts.category ?? ['no_mask', 'no_hat', 'phone', 'wet_floor'][n % 4],
    captured_at: (opts.capturedAt ?? new Date()).toISOString(),
    confidence: '0.9',
  };
  const body = Buffer.concat([
    ...Object.entries(fields).map(([k, v]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    ),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="snapshot"; filename="s.png"\r\n\r\n`),
    // A distinct picture each time, as real snapshots are.
    Buffer.concat([picture, Buffer.from(String(n))]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${api}/api/v1/ai/captures`, {
    method: 'POST',
    headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'X-Device-Id': device.id,
      'X-Timestamp': ts,
      'X-Signature': createHmac('sha256', device.key).update(`${ts}.`).update(body).digest('hex'),
    },
    body,
  });
  if (res.status !== 201)
    throw new Error(`capture ${fields.event_id} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  await res.arrayBuffer();
}
