import { useCallback, useEffect, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { HonourBoard } from '@ygsa/shared';
import { api } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { ShopList } from '../../components/ShopList';
import './index.scss';

type Load = { state: 'loading' } | { state: 'ready'; board: HonourBoard } | { state: 'failed'; error: unknown };

/** 红黑榜 of a district: who is on it, and why. */
export default function BoardPage() {
  const { params } = useRouter<{ district?: string }>();
  const district = decodeURIComponent(params.district ?? '');
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  const fetchBoard = useCallback(async (): Promise<Load> => {
    try {
      return { state: 'ready', board: await api.honourBoard(district) };
    } catch (error) {
      return { state: 'failed', error };
    }
  }, [district]);

  useEffect(() => {
    let live = true;
    void fetchBoard().then((l) => live && setLoad(l));
    return () => {
      live = false;
    };
  }, [fetchBoard]);

  if (load.state === 'loading') return <Text className="board__muted">正在加载…</Text>;
  if (load.state === 'failed') return <ErrorState error={load.error} onRetry={() => void fetchBoard().then(setLoad)} />;
  const { board } = load;
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
