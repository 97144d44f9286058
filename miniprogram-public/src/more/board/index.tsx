import { useCallback } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useLoadable } from '@ygsa/kit';
import { api } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { ShopList } from '../../components/ShopList';
import './index.scss';

/** 红黑榜 of a district: who is on it, and why. */
export default function BoardPage() {
  const { params } = useRouter<{ district?: string }>();
  const district = decodeURIComponent(params.district ?? '');
  const fetchBoard = useCallback(() => api.honourBoard(district), [district]);
  const { state: load, reload } = useLoadable(fetchBoard);

  if (load.state === 'loading') return <Text className="board__muted">正在加载…</Text>;
  if (load.state === 'failed') return <ErrorState error={load.error} onRetry={reload} />;
  const board = load.value;
  return (
    <View className="board">
      <Text className="board__title">{board.district}餐饮红黑榜</Text>
      <View className="board__section" id="red-list">
        <Text className="board__head board__head--red">红榜 · 信用等级 A（{board.red.length} 家）</Text>
        {board.red.length ? <ShopList shops={board.red} why /> : <Text className="board__muted">暂无上榜门店</Text>}
      </View>
      <View className="board__section" id="black-list">
        <Text className="board__head board__head--black">黑榜 · 等级 C 或受到处罚（{board.black.length} 家）</Text>
        {board.black.length ? <ShopList shops={board.black} why /> : <Text className="board__muted">暂无上榜门店</Text>}
      </View>
    </View>
  );
}
