import type { KeyValueStorage } from '@ygsa/shared';

/** One form's draft, stored as JSON under `ygsa.draft.<key>`. */
export interface Draft<T> {
  /** The stored draft, or undefined when there is none (a broken one is dropped). */
  load(): T | undefined;
  save(value: T): void;
  clear(): void;
}

/**
 * Drafts survive a closed app or a lost connection; the idempotency key travels with them.
 * `drafts(storage)<T>(key)` gives the typed draft of one form.
 */
export function createDrafts(storage: KeyValueStorage) {
  return function draft<T>(key: string): Draft<T> {
    const storageKey = `ygsa.draft.${key}`;
    return {
      load() {
        const raw = storage.get(storageKey);
        if (!raw) return undefined;
        try {
          return JSON.parse(raw) as T;
        } catch {
          storage.remove(storageKey);
          return undefined;
        }
      },
      save: (value) => storage.set(storageKey, JSON.stringify(value)),
      clear: () => storage.remove(storageKey),
    };
  };
}
