export default definePageConfig({
  navigationBarTitleText: '日管控',
});
