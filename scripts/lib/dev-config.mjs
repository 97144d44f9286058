// @ts-check
// Embedded defaults for `npm start` and the tests: the two mini-programs' dev appids, known to the
// fake WeChat server and the API alike. Real appids and secrets come from the environment in production.
export const DEV_WECHAT_APPS = {
  public: { appid: 'wx5067a1c0de000001', secret: 'dev-public-secret-not-for-production' },
  operator: { appid: 'wx5067a1c0de000002', secret: 'dev-operator-secret-not-for-production' },
};
