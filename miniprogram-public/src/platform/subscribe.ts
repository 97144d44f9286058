import { createConsentAsker, type MessageKind } from '@ygsa/shared';
import { platform } from './index';

/** Asks WeChat's consent for this app's messages; call it first in the tap that makes them useful. */
export const askMessageConsent = createConsentAsker(
  'public',
  YG_SUBSCRIBE_TEMPLATES as Partial<Record<MessageKind, string>>,
  platform.requestSubscribe,
);
