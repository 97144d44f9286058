export default definePageConfig({
  navigationBarTitleText: '现场监督检查',
});
