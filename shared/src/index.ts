export { z } from './zod.js';
export * from './errors.js';
export * from './roles.js';
export * from './auth.js';
export * from './health.js';
export * from './transport.js';
export * from './api-client.js';
export * from './miniapp.js';
