import { platform } from '../platform';

const KEY = 'ygsa.operator.currentShop';

/** The shop the operator is working on now (one person may serve several). */
export const currentShop = {
  get: (): string | undefined => platform.storage.get(KEY),
  set: (id: string) => platform.storage.set(KEY, id),
};
