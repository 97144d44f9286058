/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.scss';

/** Build-time constants, set in scripts/taro/app-config.cjs. */
declare const YG_API_BASE: string;
declare const YG_APPID: string;
declare const YG_MINI_APP: 'public' | 'operator';
declare const YG_FAKE_WECHAT: string;
/** This app's subscribe-message template ids by kind (from the SUBSCRIBE_TEMPLATE_* variables). */
declare const YG_SUBSCRIBE_TEMPLATES: Record<string, string>;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5';
  }
}
