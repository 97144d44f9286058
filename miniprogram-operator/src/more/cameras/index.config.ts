export default definePageConfig({
  navigationBarTitleText: '明厨亮灶摄像头',
  enablePullDownRefresh: true,
});
