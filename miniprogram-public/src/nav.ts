import Taro from '@tarojs/taro';
import { pageUrl, type PageKey, type PageQuery } from '@ygsa/shared';

/** Opens a page of this app by its name in the shared page table. */
export function openPage(key: PageKey<'public'>, query?: PageQuery) {
  return Taro.navigateTo({ url: pageUrl('public', key, query) });
}

/** Replaces the current page with another of this app. */
export function replacePage(key: PageKey<'public'>, query?: PageQuery) {
  return Taro.redirectTo({ url: pageUrl('public', key, query) });
}

/** Back to the home page, whatever the page stack holds (a scan may have opened the app on a shop). */
export function goHome() {
  return Taro.reLaunch({ url: pageUrl('public', 'home') });
}
