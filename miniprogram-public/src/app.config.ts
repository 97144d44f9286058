export default defineAppConfig({
  pages: ['pages/index/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1a7f37',
    navigationBarTitleText: '阳光食安',
    navigationBarTextStyle: 'white',
  },
});
