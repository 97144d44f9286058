import { createConsentAsker, type MessageKind } from '@ygsa/shared';
import { platform } from './index';

/**
 * Asks WeChat's consent for all of this app's messages (self-check reminders, enforcement notices,
 * camera alerts) in one request. WeChat asks only inside a tap and each accept allows one message,
 * so every tap on a task asks again, so that the next reminder can arrive.
 */
export const askMessageConsent = createConsentAsker(
  'operator',
  YG_SUBSCRIBE_TEMPLATES as Partial<Record<MessageKind, string>>,
  platform.requestSubscribe,
);
