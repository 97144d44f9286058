export default definePageConfig({
  navigationBarTitleText: '月调度',
  disableScroll: false,
});
