import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { webPageLink, type PageQuery } from '@ygsa/shared';

/**
 * Shares the shop page: in WeChat through its share menu (the page's onShareAppMessage), on H5,
 * which has no share menu, by copying the page's link.
 */
export function ShareButton({ query }: { query: PageQuery }) {
  if (process.env.TARO_ENV === 'weapp') {
    return (
      <Button id="share" size="large" block openType="share">
        分享给朋友
      </Button>
    );
  }
  const copy = () => {
    const link = webPageLink(window.location.href, 'public', 'shop', query);
    void Taro.setClipboardData({ data: link }).then(
      () => Taro.showToast({ title: '链接已复制', icon: 'success' }),
      () => Taro.showModal({ title: '请长按复制链接', content: link, showCancel: false }),
    );
  };
  return (
    <Button id="share" size="large" block onClick={copy}>
      复制链接分享
    </Button>
  );
}
