import { createOperatorApi } from '@ygsa/shared';
import { createDrafts, createMiniClient } from '@ygsa/kit';
import { platform } from '../platform';

export { newIdempotencyKey } from '@ygsa/kit';

/** The operator app's session and client: every operator call needs the token. */
export const client = createMiniClient({
  app: YG_MINI_APP,
  baseUrl: YG_API_BASE,
  platform,
  createApi: createOperatorApi,
});
export const { api, signedIn, uploadPhoto, photoSource } = client;

/** Drafts of this app's forms, over the platform's storage. */
export const drafts = createDrafts(platform.storage);
