// Calls the journeys make to the API directly (as a regulator, or to look things up).
export const API = () => process.env.YG_E2E_API_URL as string;

export const regulatorHeaders = () => ({
  Authorization: `Bearer ${process.env.YG_E2E_REGULATOR_TOKEN}`,
  'Content-Type': 'application/json',
});

export async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${res.url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A regulator's owner invitation for a shop. */
export async function ownerCode(shopId: string): Promise<string> {
  const invitation = await json<{ code: string }>(
    await fetch(`${API()}/api/v1/regulator/establishments/${shopId}/invitations`, {
      method: 'POST',
      headers: regulatorHeaders(),
      body: JSON.stringify({ role: 'owner' }),
    }),
  );
  return invitation.code;
}

export async function shopIdOf(name: string): Promise<string> {
  const search = await json<{ items: { id: string }[] }>(
    await fetch(`${API()}/api/v1/public/shops?q=${encodeURIComponent(name)}`),
  );
  const id = search.items[0]?.id;
  if (!id) throw new Error(`no demo shop named ${name}`);
  return id;
}

/** As a regulator: POST a JSON body, expecting success. */
export async function regulatorPost<T>(path: string, body: unknown): Promise<T> {
  return json<T>(
    await fetch(`${API()}${path}`, { method: 'POST', headers: regulatorHeaders(), body: JSON.stringify(body) }),
  );
}

/** A camera AI box of the shop, registered by a regulator, with a camera it reports from. */
export async function aiBoxOf(shopId: string, cameraName = '灶台摄像头') {
  const device = await regulatorPost<{ id: string; key: string }>(
    `/api/v1/regulator/establishments/${shopId}/ai-devices`,
    { name: '后厨 AI 盒子' },
  );
  const camera = await regulatorPost<{ id: string }>(`/api/v1/regulator/establishments/${shopId}/cameras`, {
    name: cameraName,
    zone: 'cooking',
  });
  return { ...device, cameraId: camera.id };
}

/** What an AI box sends for one capture: multipart fields and a snapshot, HMAC-SHA256 signed. */
export async function sendCapture(
  box: { id: string; key: string; cameraId: string },
  category: string,
  snapshot: Buffer,
) {
  const { createHmac, randomBytes } = await import('node:crypto');
  const boundary = `----box${randomBytes(6).toString('hex')}`;
  const fields = {
    event_id: `evt-${randomBytes(6).toString('hex')}`,
    camera_id: box.cameraId,
    category,
    captured_at: new Date().toISOString(),
    confidence: '0.91',
  };
  const body = Buffer.concat([
    ...Object.entries(fields).map(([k, v]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    ),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="snapshot"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    snapshot,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', box.key).update(`${timestamp}.`).update(body).digest('hex');
  return json<{ id: string; outcome: { step: string } }>(
    await fetch(`${API()}/api/v1/ai/captures`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'X-Device-Id': box.id,
        'X-Timestamp': timestamp,
        'X-Signature': signature,
      },
      body,
    }),
  );
}

/** As a regulator: GET, expecting success. */
export async function regulatorGet<T>(path: string): Promise<T> {
  return json<T>(await fetch(`${API()}${path}`, { headers: regulatorHeaders() }));
}
