import { createApiClient, createSession } from '@ygsa/shared';
import { platform } from '../platform';

export const session = createSession({ app: YG_MINI_APP, login: platform.wechatLoginCode, storage: platform.storage });

export const api = createApiClient({ baseUrl: YG_API_BASE, transport: platform.transport, getToken: session.token });
