import { Text, View } from '@tarojs/components';
import { StatusPanel, useSignInAndHealth } from '@ygsa/kit';
import { client } from '../../api/client';
import './index.scss';

export default function StatusPage() {
  const { user, health, reload, signInAgain } = useSignInAndHealth(client);
  return (
    <View className="index-page">
      <View className="index-page__hero">
        <Text className="index-page__title">阳光食安</Text>
        <Text className="index-page__subtitle">扫一扫，看后厨 · 查等级 · 投诉举报</Text>
      </View>
      <StatusPanel user={user} health={health} onReload={reload} onSignInAgain={signInAgain} />
    </View>
  );
}
