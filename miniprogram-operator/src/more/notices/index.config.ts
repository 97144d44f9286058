export default definePageConfig({
  navigationBarTitleText: '整改与执法',
  enablePullDownRefresh: true,
});
