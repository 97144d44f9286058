export default definePageConfig({
  navigationBarTitleText: '抽查计划详情',
});
