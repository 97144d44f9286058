export { createDrafts, type Draft } from './drafts';
