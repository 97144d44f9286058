export default defineAppConfig({
  pages: ['pages/index/index', 'pages/shop/index'],
  // Rarer pages load on demand, keeping the main package small.
  subPackages: [
    {
      root: 'more',
      pages: ['board/index', 'status/index', 'complaint/index', 'complaints/index', 'live/index', 'committee/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1a7f37',
    navigationBarTitleText: '阳光食安',
    navigationBarTextStyle: 'white',
  },
  permission: {
    'scope.userLocation': { desc: '用于查找您附近的餐饮门店' },
  },
  requiredPrivateInfos: ['getLocation'],
});
