export default definePageConfig({
  navigationBarTitleText: '我的检查任务',
});
