/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.scss';

/** Build-time constants, set in scripts/taro/app-config.cjs. */
declare const YG_API_BASE: string;
declare const YG_APPID: string;
declare const YG_MINI_APP: 'public' | 'operator' | 'regulator';
declare const YG_FAKE_WECHAT: string;
/** This app's subscribe-message template ids by kind (from the SUBSCRIBE_TEMPLATE_* variables). */
declare const YG_SUBSCRIBE_TEMPLATES: Record<string, string>;
/** Overrides of the signature rule's defaults (shared/src/signature.ts), from YG_SIGNATURE_RULE. */
declare const YG_SIGNATURE_RULE: Partial<import('@ygsa/shared').SignatureRule>;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5';
  }
}
