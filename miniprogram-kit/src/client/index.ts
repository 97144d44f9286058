export { createMiniClient, newIdempotencyKey, type ClientPlatform } from './create-mini-client';
