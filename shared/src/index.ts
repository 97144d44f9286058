// Configures zod (jitless for WeChat, Chinese messages) before any schema is used.
import './zod.js';

export * from './errors.js';
export * from './roles.js';
export * from './auth.js';
export * from './health.js';
export * from './transport.js';
export * from './api-client.js';
export * from './miniapp.js';
export * from './dates.js';
export * from './establishment.js';
export * from './inspection.js';
export * from './grading.js';
export * from './risk.js';
export * from './shop.js';
export * from './geo.js';
export * from './selfcheck.js';
export * from './calendar.js';
export * from './complaint.js';
export * from './live.js';
export * from './enforcement.js';
export * from './hours.js';
export * from './pages.js';
export * from './entry.js';
export * from './subscribe.js';
export * from './signature.js';
