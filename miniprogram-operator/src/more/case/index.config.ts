export default definePageConfig({
  navigationBarTitleText: '非现场执法',
});
