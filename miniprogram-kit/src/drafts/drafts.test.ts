import type { KeyValueStorage } from '@ygsa/shared';
import { createDrafts } from './drafts';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (k) => data.get(k),
    set: (k, v) => void data.set(k, v),
    remove: (k) => void data.delete(k),
  };
}

describe('drafts', () => {
  it('when a draft is saved, then it loads back as it was, under ygsa.draft.<key>', () => {
    const storage = memoryStorage();
    const drafts = createDrafts(storage);
    drafts<{ text: string; photos: string[] }>('notice-reply.1').save({ text: '已整改', photos: ['p1'] });
    expect(storage.data.has('ygsa.draft.notice-reply.1')).toBe(true);
    expect(createDrafts(storage)<{ text: string }>('notice-reply.1').load()).toEqual({
      text: '已整改',
      photos: ['p1'],
    });
  });

  it('when there is none, then load gives undefined; clear removes it', () => {
    const storage = memoryStorage();
    const draft = createDrafts(storage)<number>('daily');
    expect(draft.load()).toBeUndefined();
    draft.save(3);
    draft.clear();
    expect(draft.load()).toBeUndefined();
    expect(storage.data.size).toBe(0);
  });

  it('when the stored draft is broken, then it is dropped', () => {
    const storage = memoryStorage();
    storage.set('ygsa.draft.weekly', '{not json');
    expect(createDrafts(storage)('weekly').load()).toBeUndefined();
    expect(storage.data.has('ygsa.draft.weekly')).toBe(false);
  });
});
