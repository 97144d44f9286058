import Taro from '@tarojs/taro';
import { pageUrl, type PageKey, type PageQuery } from '@ygsa/shared';

/** Opens a page of this app by its name in the shared page table. */
export function openPage(key: PageKey<'regulator'>, query?: PageQuery) {
  return Taro.navigateTo({ url: pageUrl('regulator', key, query) });
}
