export default defineAppConfig({
  pages: ['pages/index/index', 'pages/daily/index', 'pages/history/index'],
  // Rarer pages load on demand, keeping the main package small.
  subPackages: [
    {
      root: 'more',
      pages: [
        'weekly/index',
        'monthly/index',
        'team/index',
        'checklist/index',
        'reply/index',
        'status/index',
        'cameras/index',
        'notices/index',
        'notice/index',
        'case/index',
        'committee/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#0b5cad',
    navigationBarTitleText: '阳光食安·经营端',
    navigationBarTextStyle: 'white',
  },
});
