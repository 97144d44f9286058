export default definePageConfig({
  navigationBarTitleText: '辖区门店',
});
