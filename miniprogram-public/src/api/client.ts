import { createPublicApi } from '@ygsa/shared';
import { createDrafts, createMiniClient } from '@ygsa/kit';
import { platform } from '../platform';

export { newIdempotencyKey } from '@ygsa/kit';

/** The public app's session and client: filing and following complaints needs the token. */
export const client = createMiniClient({
  app: YG_MINI_APP,
  baseUrl: YG_API_BASE,
  platform,
  createApi: createPublicApi,
});
export const { api, signedIn, uploadPhoto } = client;

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

/** Drafts of this app's forms, over the platform's storage. */
export const drafts = createDrafts(platform.storage);
