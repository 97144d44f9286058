// @ts-check
// What the three development mini-programs have declared in WeChat's admin console, as the WeChat
// stand-in (fake-wechat.cjs) knows it: appids and secrets, the subscribe-message templates each
// app picked from WeChat's template library (ids and keywords), where each app's built app.json
// lives (the pages a code or a message may open), and the message-push token. It is written from
// the console's point of view, apart from the product's own registry (shared/src/subscribe.ts), so
// that a mismatch between the two fails a test instead of passing silently.
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');

const DEV_WECHAT_APPS = {
  public: { appid: 'wx5067a1c0de000001', secret: 'dev-public-secret-not-for-production' },
  operator: { appid: 'wx5067a1c0de000002', secret: 'dev-operator-secret-not-for-production' },
  regulator: { appid: 'wx5067a1c0de000003', secret: 'dev-regulator-secret-not-for-production' },
};

/** The message-push (消息推送) token both development apps are configured with. */
const DEV_PUSH_TOKEN = 'ygsaDevPushToken2026';

/**
 * @typedef {{ title: string, keys: string[] }} ConsoleTemplate
 * @typedef {{ appid: string, secret: string, name: string, templates: Record<string, ConsoleTemplate>, appJson: string }} ConsoleApp
 */

/** @type {ConsoleApp[]} */
const DEV_CONSOLE_APPS = [
  {
    ...DEV_WECHAT_APPS.public,
    name: '阳光食安',
    appJson: join(ROOT, 'miniprogram-public', 'dist', 'weapp', 'app.json'),
    templates: {
      'dev-complaint-status': {
        title: '投诉处理进度通知',
        keys: ['character_string1', 'phrase2', 'thing3', 'time4', 'thing5'],
      },
    },
  },
  {
    ...DEV_WECHAT_APPS.operator,
    name: '阳光食安经营端',
    appJson: join(ROOT, 'miniprogram-operator', 'dist', 'weapp', 'app.json'),
    templates: {
      'dev-self-check-reminder': { title: '待办事项提醒', keys: ['thing1', 'thing2', 'date3'] },
      'dev-enforcement-notice': { title: '整改通知', keys: ['thing1', 'thing2', 'thing3', 'time4'] },
      'dev-camera-alert': { title: '设备离线提醒', keys: ['thing1', 'thing2', 'thing3', 'time4'] },
    },
  },
  {
    ...DEV_WECHAT_APPS.regulator,
    name: '阳光食安监管端',
    appJson: join(ROOT, 'miniprogram-regulator', 'dist', 'weapp', 'app.json'),
    templates: {},
  },
];

/**
 * Words the stand-in's content check calls risky (or for review). WeChat's own lists are not
 * published; these stand for them in development and tests.
 */
const DEV_RISKY_WORDS = ['代开发票', '赌博网站', '出售枪支'];
const DEV_REVIEW_WORDS = ['加微信领红包'];

module.exports = { DEV_WECHAT_APPS, DEV_CONSOLE_APPS, DEV_PUSH_TOKEN, DEV_RISKY_WORDS, DEV_REVIEW_WORDS };
