export default definePageConfig({
  navigationBarTitleText: '服务状态',
});
