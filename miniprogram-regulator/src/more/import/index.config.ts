export default definePageConfig({
  navigationBarTitleText: '许可数据导入',
});
