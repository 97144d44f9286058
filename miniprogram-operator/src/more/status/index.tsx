import { Text, View } from '@tarojs/components';
import { StatusPanel, useSignInAndHealth } from '@ygsa/kit';
import { client } from '../../api/client';
import './index.scss';

export default function StatusPage() {
  const { user, health, reload, signInAgain } = useSignInAndHealth(client);
  return (
    <View className="index-page">
      <View className="index-page__hero">
        <Text className="index-page__title">阳光食安 · 经营端</Text>
        <Text className="index-page__subtitle">日管控 · 周排查 · 月调度 · 整改回复</Text>
      </View>
      <StatusPanel user={user} health={health} onReload={reload} onSignInAgain={signInAgain} />
    </View>
  );
}
