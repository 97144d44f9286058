import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import './index.scss';

const FEATURES: Record<string, { title: string; text: string }> = {
  live: { title: '看后厨', text: '后厨直播功能即将上线。上线后可在此观看门店切配、烹饪、专间和洗消区域的实时画面。' },
  complaint: { title: '投诉举报', text: '在线投诉举报功能即将上线。目前如遇食品安全问题，请拨打 12315 反映。' },
};

/** Where the buttons for features still in the making lead; says so plainly, with no made-up content. */
export default function SoonPage() {
  const { params } = useRouter<{ feature?: string; name?: string }>();
  const f = FEATURES[params.feature ?? ''] ?? { title: '即将上线', text: '该功能即将上线，敬请期待。' };
  return (
    <View className="soon" id="coming-soon">
      <Text className="soon__title">{f.title}</Text>
      {params.name && <Text className="soon__shop">{decodeURIComponent(params.name)}</Text>}
      <Text className="soon__text">{f.text}</Text>
    </View>
  );
}
