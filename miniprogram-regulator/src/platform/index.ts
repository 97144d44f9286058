import Taro from '@tarojs/taro';
import { createMiniPlatform } from '@ygsa/shared';

/**
 * Storage, requests and WeChat login for this build (weapp or h5). Each Taro API is named
 * explicitly: Taro's H5 build rewrites `Taro.x` member uses into imports, so the Taro object
 * itself must not be handed around.
 */
export const platform = createMiniPlatform(
  {
    getStorageSync: (key) => Taro.getStorageSync(key),
    setStorageSync: (key, value) => Taro.setStorageSync(key, value),
    removeStorageSync: (key) => Taro.removeStorageSync(key),
    login: () => Taro.login(),
    request: (options: Taro.request.Option) => Taro.request(options),
    uploadFile: (options) => Taro.uploadFile(options),
    downloadFile: (options) => Taro.downloadFile(options),
    requestSubscribeMessage: (options) => Taro.requestSubscribeMessage(options as never),
    showModal: (options) => Taro.showModal(options),
  },
  { env: process.env.TARO_ENV, app: YG_MINI_APP, appid: YG_APPID, fakeWeChatBase: YG_FAKE_WECHAT },
);

/** The picker's own "cancel" failure: not an error to tell the user about. */
const cancelled = (e: unknown) => !!(e as { errMsg?: string } | undefined)?.errMsg?.includes('cancel');

/**
 * A CSV file the user chooses: from the computer in the H5 desk console, from a WeChat chat in the
 * mini-program (where files arrive). Undefined when the user cancelled.
 */
export async function pickCsv(): Promise<{ name: string; text: string } | undefined> {
  if (process.env.TARO_ENV === 'h5') {
    return new Promise((resolve, reject) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.csv,text/csv';
      input.onchange = () => {
        const file = input.files?.[0];
        if (!file) return resolve(undefined);
        file.text().then((text) => resolve({ name: file.name, text }), reject);
      };
      input.click();
    });
  }
  try {
    const picked = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv'] });
    const file = picked.tempFiles[0];
    if (!file) return undefined;
    return { name: file.name, text: Taro.getFileSystemManager().readFileSync(file.path, 'utf8') as string };
  } catch (e) {
    if (cancelled(e)) return undefined;
    throw e;
  }
}
