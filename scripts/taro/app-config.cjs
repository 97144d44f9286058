// Taro build configuration common to both mini-programs; each app's config/index.ts calls it.
// Plain CommonJS so that Taro's config loader needs no transpiling across folders.
const { DEV_WECHAT_APPS } = require('../lib/wechat-console.cjs');
// The built shared package (build.mjs builds it before the apps): its subscribe-message registry.
const { templateIdsFrom, DEFAULT_SIGNATURE_RULE, PAGES } = require('@ygsa/shared');
const { RoutePreloadPlugin } = require('./route-preload.cjs');
const { leaveOutJsonSchema } = require('./zod-trim.cjs');
const path = require('node:path');

// The kit (@ygsa/kit) is TypeScript and SCSS, compiled by each app's build like the app's own
// sources: Taro's loaders leave files outside the app's src alone unless they are included.
const KIT_DIR = path.resolve(__dirname, '../../miniprogram-kit');

/** YG_SIGNATURE_RULE: a JSON object of the rule's numbers; anything else stops the build with a clear line. */
function signatureRule(/** @type {string | undefined} */ raw) {
  if (!raw) return {};
  /** @type {Record<string, unknown>} */
  let rule;
  try {
    rule = JSON.parse(raw);
  } catch {
    throw new Error(`YG_SIGNATURE_RULE must be JSON (got "${raw}")`);
  }
  for (const [k, v] of Object.entries(rule)) {
    if (!(k in DEFAULT_SIGNATURE_RULE) || typeof v !== 'number' || !(v >= 0))
      throw new Error(
        `YG_SIGNATURE_RULE: ${k} must be one of ${Object.keys(DEFAULT_SIGNATURE_RULE).join(', ')} with a number ≥ 0`,
      );
  }
  return rule;
}

// The H5 page every app's build writes (one template; each app its own first title). Taro makes
// an HTML page only when the app's src/index.html exists, so each app keeps a one-line pointer here.
const H5_TEMPLATE = path.join(KIT_DIR, 'index.html');
const H5_TITLES = { public: '阳光食安', operator: '阳光食安 商户端', regulator: '阳光食安 监管端' };

const DEV_APPIDS = {
  public: DEV_WECHAT_APPS.public.appid,
  operator: DEV_WECHAT_APPS.operator.appid,
  regulator: DEV_WECHAT_APPS.regulator.appid,
};

/**
 * @param {{ app: 'public' | 'operator' | 'regulator', projectName: string }} opts
 */
function taroConfig(opts) {
  const isH5 = process.env.TARO_ENV === 'h5';
  const env = process.env;
  // In WeChat the API is another origin (a configured HTTPS domain); the H5 builds are served
  // beside the API by the dev web server, so they call it on their own origin.
  const apiBase = isH5 ? '' : (env.YG_API_BASE ?? 'http://127.0.0.1:3000');
  // A release build (YG_RELEASE=1, for upload to WeChat) must point at the real HTTPS API.
  if (!isH5 && env.YG_RELEASE === '1' && !apiBase.startsWith('https://')) {
    throw new Error(`YG_API_BASE must be an https:// URL for a release weapp build (got "${apiBase}")`);
  }
  const appid = env[`YG_WECHAT_APPID_${opts.app.toUpperCase()}`] ?? DEV_APPIDS[opts.app];

  return {
    projectName: opts.projectName,
    date: '2026-11-22',
    // NutUI is drawn at 375 wide; our own styles at 750. Taro copies this function's source into
    // the app's runtime code unprocessed, so it is written in plain ES5.
    designWidth: function (input) {
      if (input && input.file && input.file.replace(/\\+/g, '/').indexOf('@nutui') > -1) return 375;
      return 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      YG_API_BASE: JSON.stringify(apiBase),
      YG_APPID: JSON.stringify(appid),
      YG_MINI_APP: JSON.stringify(opts.app),
      // Where H5 dev builds get a login code: the fake WeChat server, behind the dev web server.
      YG_FAKE_WECHAT: JSON.stringify(isH5 ? '/__fake_wechat__' : ''),
      // This app's subscribe-message template ids by kind: the same SUBSCRIBE_TEMPLATE_* variables
      // the API reads (the stand-in's ids when unset).
      YG_SUBSCRIBE_TEMPLATES: JSON.stringify(templateIdsFrom(env, opts.app)),
      // Overrides of the signature pad's ink rule (JSON, e.g. {"minStrokes":3}); validated here.
      YG_SIGNATURE_RULE: JSON.stringify(signatureRule(env.YG_SIGNATURE_RULE)),
    },
    alias: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      optimizeMainPackage: { enable: true },
      compile: { include: [KIT_DIR] },
      // Each template level of base.wxml repeats every container component (~2.7 KB a level); 8
      // levels cover our pages, and anything nested deeper renders through Taro's recursive comp.
      baseLevel: 8,
      webpackChain(/** @type {any} */ chain) {
        leaveOutJsonSchema(chain);
      },
    },
    // Taro's default minifier settings for mini-programs turn most of terser's compression off and
    // escape every Chinese character (6 bytes instead of 3): the main package is measured against a
    // budget (scripts/lib/weapp-size.cjs), so use terser's usual compression and UTF-8 output.
    ...(isH5
      ? {}
      : {
          terser: {
            enable: true,
            config: {
              compress: {
                collapse_vars: true,
                comparisons: true,
                computed_props: true,
                hoist_props: true,
                inline: true,
                loops: true,
                negate_iife: true,
                properties: true,
                reduce_funcs: true,
                reduce_vars: true,
                switches: true,
                typeofs: true,
                passes: 2,
              },
              output: { ascii_only: false },
            },
          },
        }),
    h5: {
      publicPath: `/${opts.app}/`,
      staticDirectory: 'static',
      compile: { include: [KIT_DIR] },
      router: { mode: 'hash' },
      htmlPluginOption: { template: H5_TEMPLATE, title: H5_TITLES[opts.app] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        leaveOutJsonSchema(chain);
        // Taro splits only the initial chunks, so every page's lazy chunk carried its own copy of
        // what pages share (the shared package with zod, Taro's H5 APIs): opening a second page
        // downloaded them again. Code two or more pages use goes to chunks of its own, loaded once.
        chain.optimization.merge({
          splitChunks: {
            cacheGroups: {
              pages: { chunks: 'async', minChunks: 2, minSize: 8 * 1024, priority: 0, reuseExistingChunk: true },
            },
          },
        });
        chain.plugin('route-preload').use(RoutePreloadPlugin, [{ pages: Object.values(PAGES[opts.app]) }]);
      },
    },
    sass: { resource: [] },
    env: {},
  };
}

module.exports = { taroConfig, DEV_APPIDS };
