import { ConfigError, loadConfig } from '../src/config';
import { testEnv } from './helpers';

const base = () => testEnv();
/** What production must set besides the database and secrets. */
const PRODUCTION = {
  MEDIA_SECRET: 'prod-media-secret-0123456789',
  MEDIA_CALLBACK_TOKEN: 'prod-callback-0123456789',
  WECHAT_PUSH_TOKEN: 'prodPushToken2026x',
  API_PUBLIC_URL: 'https://api.ygsa.example.cn',
  SUBSCRIBE_TEMPLATE_COMPLAINT_STATUS: 'tmpl-complaint-status-001',
  SUBSCRIBE_TEMPLATE_SELF_CHECK: 'tmpl-self-check-001',
  SUBSCRIBE_TEMPLATE_ENFORCEMENT: 'tmpl-enforcement-001',
  SUBSCRIBE_TEMPLATE_CAMERA_ALERT: 'tmpl-camera-alert-001',
};

describe('loadConfig', () => {
  it('when the environment is complete, then it gives typed values and defaults', () => {
    const config = loadConfig({ ...base(), PORT: undefined, HOST: undefined } as Record<string, string | undefined>);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.jwt.ttlSeconds).toBe(7 * 24 * 3600);
    expect(config.wechat.apps.public.appid).toBe('wx5067a1c0de000001');
  });

  it('when PORT is not a number, then start-up stops with one line naming it and the value', () => {
    let error: unknown;
    try {
      loadConfig({ ...base(), PORT: 'abc' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toBe('Invalid configuration: PORT must be a whole number from 0 to 65535 (got "abc")');
    expect(message).not.toContain('\n');
  });

  it('when PORT is out of range, then it is refused', () => {
    expect(() => loadConfig({ ...base(), PORT: '70000' })).toThrow(/PORT must be from 0 to 65535/);
  });

  it('when several values are bad, then every problem is listed on the same line', () => {
    const env: Record<string, string | undefined> = { ...base(), JWT_SECRET: 'short', MONGODB_URI: 'http://x' };
    expect(() => loadConfig(env)).toThrow(
      /^Invalid configuration: MONGODB_URI must start with mongodb:\/\/.*; JWT_SECRET must be at least 32 characters$/,
    );
  });

  it('when a secret is bad, then its value is never echoed', () => {
    expect(() => loadConfig({ ...base(), JWT_SECRET: 'hunter2' })).toThrow(/^(?!.*hunter2).*$/);
  });

  it('when a required value is missing, then the message names it', () => {
    const env: Record<string, string | undefined> = { ...base(), MONGODB_URI: undefined };
    expect(() => loadConfig(env)).toThrow(/MONGODB_URI is required/);
  });

  it('when production points WeChat at plain http (the fake), then it is refused', () => {
    expect(() => loadConfig({ ...base(), NODE_ENV: 'production', WECHAT_API_BASE: 'http://127.0.0.1:9' })).toThrow(
      /WECHAT_API_BASE must be https:\/\/ in production/,
    );
    expect(
      loadConfig({ ...base(), ...PRODUCTION, NODE_ENV: 'production', WECHAT_API_BASE: 'https://api.weixin.qq.com' })
        .env,
    ).toBe('production');
  });

  it('when production keeps the development push token, an http API address or no template ids, then each is named', () => {
    const { WECHAT_PUSH_TOKEN: _t, API_PUBLIC_URL: _u, SUBSCRIBE_TEMPLATE_CAMERA_ALERT: _c, ...rest } = PRODUCTION;
    let message = '';
    try {
      loadConfig({ ...base(), ...rest, NODE_ENV: 'production', WECHAT_API_BASE: 'https://api.weixin.qq.com' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/WECHAT_PUSH_TOKEN must be set in production/);
    expect(message).toMatch(/API_PUBLIC_URL must be https:\/\/ in production/);
    expect(message).toMatch(/SUBSCRIBE_TEMPLATE_CAMERA_ALERT must be set in production/);
    expect(message).not.toMatch(/SUBSCRIBE_TEMPLATE_COMPLAINT_STATUS/);
  });

  it('when production keeps the development media secrets, then it is refused', () => {
    expect(() =>
      loadConfig({ ...base(), NODE_ENV: 'production', WECHAT_API_BASE: 'https://api.weixin.qq.com' }),
    ).toThrow(/MEDIA_SECRET and MEDIA_CALLBACK_TOKEN must be set in production/);
  });

  it('when an appid is malformed, then it is refused', () => {
    expect(() => loadConfig({ ...base(), WECHAT_PUBLIC_APPID: 'not-an-appid' })).toThrow(/WECHAT_PUBLIC_APPID/);
  });
});
