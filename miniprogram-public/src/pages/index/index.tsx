import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ShopSearchResult } from '@ygsa/shared';
import type { Loaded } from '@ygsa/kit';
import { api } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { ShopList } from '../../components/ShopList';
import { openPage } from '../../nav';
import { canScan, currentPosition, scanShopCode, type Position } from '../../platform/device';
import './index.scss';

type Load = Loaded<ShopSearchResult>;

export default function HomePage() {
  const [keyword, setKeyword] = useState('');
  const [position, setPosition] = useState<Position | null>(null);
  const [locating, setLocating] = useState<'pending' | 'denied' | 'done'>('pending');
  const [list, setList] = useState<Load>({ state: 'loading' });
  const [mode, setMode] = useState<'nearby' | 'search'>('nearby');

  const loadNearby = useCallback(async (): Promise<{ list: Load; position: Position | null; denied: boolean }> => {
    let pos: Position;
    try {
      pos = await currentPosition();
    } catch {
      // No permission or no fix: the page says so and offers the search instead.
      return {
        list: { state: 'ready', value: { items: [], page: 1, pageSize: 20, total: 0 } },
        position: null,
        denied: true,
      };
    }
    try {
      return {
        list: { state: 'ready', value: await api.searchShops({ lng: pos.lng, lat: pos.lat, radius: 5000 }) },
        position: pos,
        denied: false,
      };
    } catch (error) {
      return { list: { state: 'failed', error }, position: pos, denied: false };
    }
  }, []);

  const showNearby = useCallback((r: Awaited<ReturnType<typeof loadNearby>>) => {
    setList(r.list);
    setPosition(r.position);
    setLocating(r.denied ? 'denied' : 'done');
  }, []);

  useEffect(() => {
    let live = true;
    void loadNearby().then((r) => live && showNearby(r));
    return () => {
      live = false;
    };
  }, [loadNearby, showNearby]);

  const search = async () => {
    const q = keyword.trim();
    if (!q) {
      setMode('nearby');
      setList({ state: 'loading' });
      void loadNearby().then(showNearby);
      return;
    }
    setMode('search');
    setList({ state: 'loading' });
    try {
      setList({ state: 'ready', value: await api.searchShops({ q, ...(position ?? {}), pageSize: 30 }) });
    } catch (error) {
      setList({ state: 'failed', error });
    }
  };

  const scan = async () => {
    try {
      const entry = await scanShopCode();
      if (entry.kind === 'code') void openPage('shop', { c: entry.payload });
      else
        void Taro.showModal({
          title: '无法识别',
          content: '这不是阳光食安的门店二维码，请扫描门店张贴的“扫码看后厨”二维码。',
          showCancel: false,
        });
    } catch {
      // The user closed the camera.
    }
  };

  const district = list.state === 'ready' ? list.value.items[0]?.district : undefined;

  return (
    <View className="home">
      <View className="home__hero">
        <Text className="home__title">阳光食安</Text>
        <Text className="home__subtitle">扫一扫，看后厨 · 查等级 · 投诉举报</Text>
        {canScan ? (
          <Button id="scan" className="home__scan" size="xlarge" block onClick={() => void scan()}>
            扫码查看门店
          </Button>
        ) : (
          <Text className="home__hint">网页版请直接打开门店二维码中的链接</Text>
        )}
      </View>

      <View className="home__search">
        <Input
          id="search-input"
          className="home__input"
          value={keyword}
          placeholder="搜索门店名称或地址"
          confirmType="search"
          onInput={(e) => setKeyword(e.detail.value)}
          onConfirm={() => void search()}
        />
        <Button id="search-button" type="primary" onClick={() => void search()}>
          搜索
        </Button>
      </View>

      <View className="home__section">
        <View className="home__section-head">
          <Text className="home__section-title">{mode === 'search' ? '搜索结果' : '附近门店'}</Text>
          {district && (
            <Text id="board-link" className="home__link" onClick={() => void openPage('board', { district })}>
              {district}红黑榜 ›
            </Text>
          )}
        </View>
        {list.state === 'loading' && <Text className="home__muted">正在查找…</Text>}
        {list.state === 'failed' && <ErrorState error={list.error} onRetry={() => void search()} />}
        {list.state === 'ready' && list.value.items.length === 0 && (
          <Text className="home__muted" id="empty-list">
            {mode === 'search'
              ? '没有找到相关门店，换个关键词试试'
              : locating === 'denied'
                ? '未获得位置权限，无法显示附近门店；可以搜索门店名称'
                : '附近 5 公里内没有登记的门店'}
          </Text>
        )}
        {list.state === 'ready' && <ShopList shops={list.value.items} />}
      </View>

      <View className="home__actions">
        <Button id="complain-link" size="large" block onClick={() => void openPage('complaint')}>
          投诉举报
        </Button>
        <Button id="my-complaints-link" size="large" block onClick={() => void openPage('complaints')}>
          我的投诉举报
        </Button>
        <Button id="committee-link" size="large" block onClick={() => void openPage('committee')}>
          家委会 · 我的食堂
        </Button>
      </View>

      <Text id="status-link" className="home__footer" onClick={() => void openPage('status')}>
        服务状态
      </Text>
    </View>
  );
}
