import { createApiClient, createSession } from '@ygsa/shared';
import { platform } from '../platform';

export const session = createSession({ app: YG_MINI_APP, login: platform.wechatLoginCode, storage: platform.storage });

export const api = createApiClient({
  baseUrl: YG_API_BASE,
  transport: platform.transport,
  getToken: session.token,
  clientId: platform.clientId,
});

/** Signs in (or keeps the session) first: every operator call needs the token. */
export async function signedIn(): Promise<void> {
  await session.signIn(api);
}

/** Uploads a picked photo and returns its id; photos go up before the record that uses them. */
export async function uploadPhoto(filePath: string): Promise<string> {
  await signedIn();
  const res = await platform.uploadImage(`${YG_API_BASE}/api/v1/uploads`, filePath, session.token());
  return res.id;
}

/** A key that makes a retried submission land once (kept with the draft). */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

/** A stored photo (by id) as an address an <Image> can show. */
export async function photoSource(id: string): Promise<string> {
  await signedIn();
  return platform.imageSource(`${YG_API_BASE}/api/v1/uploads/${id}`, session.token());
}
