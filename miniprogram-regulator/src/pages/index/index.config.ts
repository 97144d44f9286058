export default definePageConfig({
  navigationBarTitleText: '阳光食安·监管端',
});
