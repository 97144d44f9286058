import Taro from '@tarojs/taro';
import { pageUrl, type PageKey, type PageQuery } from '@ygsa/shared';

/** Opens a page of this app by its name in the shared page table. */
export function openPage(key: PageKey<'operator'>, query?: PageQuery) {
  return Taro.navigateTo({ url: pageUrl('operator', key, query) });
}
