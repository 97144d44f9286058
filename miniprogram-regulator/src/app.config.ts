import { appPageConfig } from '@ygsa/shared';

// Pages come from the one page table in shared; rarer pages are a subpackage.
export default defineAppConfig({
  ...appPageConfig('regulator'),
  window: {
    backgroundTextStyle: 'light',
    navigationStyle: 'default',
    navigationBarBackgroundColor: '#1f3b57',
    navigationBarTitleText: '阳光食安·监管端',
    navigationBarTextStyle: 'white',
  },
});
