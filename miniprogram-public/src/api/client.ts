import { createApiClient, createSession } from '@ygsa/shared';
import { platform } from '../platform';

export const session = createSession({ app: YG_MINI_APP, login: platform.wechatLoginCode, storage: platform.storage });

export const api = createApiClient({
  baseUrl: YG_API_BASE,
  transport: platform.transport,
  getToken: session.token,
  clientId: platform.clientId,
});

/** Signs in (or keeps the session) first: filing and following complaints needs the token. */
export async function signedIn(): Promise<void> {
  await session.signIn(api);
}

/** Uploads a picked photo and returns its id; photos go up before the complaint that uses them. */
export async function uploadPhoto(filePath: string): Promise<string> {
  await signedIn();
  return (await platform.uploadImage(`${YG_API_BASE}/api/v1/uploads`, filePath, session.token())).id;
}

export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

const DEVICE_KEYS = 'ygsa.complaintKeys';

/** Keys of this device's anonymous reports: the only way back to them, kept on the device alone. */
export const deviceKeys = {
  all: (): string[] => {
    try {
      return JSON.parse(platform.storage.get(DEVICE_KEYS) ?? '[]') as string[];
    } catch {
      return [];
    }
  },
  add: (key: string) => platform.storage.set(DEVICE_KEYS, JSON.stringify([...deviceKeys.all(), key].slice(-50))),
};
