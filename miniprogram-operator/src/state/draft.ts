import { platform } from '../platform';

/** Drafts survive a closed app or a lost connection; the idempotency key travels with them. */
export function loadDraft<T>(key: string): T | undefined {
  const raw = platform.storage.get(`ygsa.draft.${key}`);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    platform.storage.remove(`ygsa.draft.${key}`);
    return undefined;
  }
}

export function saveDraft(key: string, value: unknown): void {
  platform.storage.set(`ygsa.draft.${key}`, JSON.stringify(value));
}

export function clearDraft(key: string): void {
  platform.storage.remove(`ygsa.draft.${key}`);
}
