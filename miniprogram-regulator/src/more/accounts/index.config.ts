export default definePageConfig({
  navigationBarTitleText: '账号与邀请',
});
