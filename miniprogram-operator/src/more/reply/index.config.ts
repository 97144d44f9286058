export default definePageConfig({
  navigationBarTitleText: '回复评级',
});
