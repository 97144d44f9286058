export default definePageConfig({
  navigationBarTitleText: '自查记录详情',
});
