import { createRegulatorApi } from '@ygsa/shared';
import { createMiniClient } from '@ygsa/kit';
import { platform } from '../platform';

export { newIdempotencyKey } from '@ygsa/kit';

/** The regulators' session and client: every call needs the token of a bound account. */
export const client = createMiniClient({
  app: YG_MINI_APP,
  baseUrl: YG_API_BASE,
  platform,
  createApi: createRegulatorApi,
});
export const { api, signedIn, signIn, photoSource, uploadPhoto } = client;
