export default definePageConfig({
  navigationBarTitleText: '看后厨',
});
