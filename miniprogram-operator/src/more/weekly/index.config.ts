export default definePageConfig({
  navigationBarTitleText: '周排查',
});
