import Taro from '@tarojs/taro';
import { parseQueryString, type EnterOptions } from '@ygsa/shared';

/**
 * The latest entry into the app: WeChat's enter options on a phone (after a hot start they differ
 * from the launch's); in H5, the page address, which plays the part of a scan.
 */
export function enterOptions(): EnterOptions {
  if (process.env.TARO_ENV === 'h5') {
    const route = window.location.hash.replace(/^#\/?/, '');
    const q = route.indexOf('?');
    return {
      path: q < 0 ? route : route.slice(0, q),
      query: parseQueryString(q < 0 ? '' : route.slice(q + 1)),
    };
  }
  return Taro.getEnterOptionsSync() as EnterOptions;
}

/** Calls back when the app is entered anew while open: a hot start in WeChat, a new address in H5. */
export function onReenter(callback: () => void): () => void {
  if (process.env.TARO_ENV === 'h5') {
    window.addEventListener('hashchange', callback);
    return () => window.removeEventListener('hashchange', callback);
  }
  Taro.onAppShow(callback);
  return () => Taro.offAppShow(callback);
}
