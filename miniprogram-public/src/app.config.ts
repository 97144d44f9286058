import { appPageConfig } from '@ygsa/shared';

// Pages come from the one page table in shared (the server links to the same paths); rarer pages
// are a subpackage, keeping the main package small.
export default defineAppConfig({
  ...appPageConfig('public'),
  window: {
    backgroundTextStyle: 'light',
    // Shows the title bar with back and home buttons in the H5 build too (WeChat always has it).
    navigationStyle: 'default',
    navigationBarBackgroundColor: '#1a7f37',
    navigationBarTitleText: '阳光食安',
    navigationBarTextStyle: 'white',
  },
  permission: {
    'scope.userLocation': { desc: '用于查找您附近的餐饮门店' },
  },
  requiredPrivateInfos: ['getLocation'],
});
