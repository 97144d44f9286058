export default definePageConfig({
  navigationBarTitleText: '阳光食安',
  enableShareAppMessage: true,
});
