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
