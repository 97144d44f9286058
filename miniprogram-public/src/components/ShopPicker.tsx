import { useEffect, useState } from 'react';
import { Input, Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ShopSummary } from '@ygsa/shared';
import { api } from '../api/client';
import { messageOf } from '../api/errors';
import './ShopPicker.scss';

export interface PickedPlace {
  shopId: string;
  shopName: string;
  /** A place not listed (a street stall): described in words; reported by the phone's position. */
  place: string;
}

const distance = (m: number | null) => (m === null ? '' : m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`);

/**
 * What a complaint is about: a shop found by name, one of those nearby, or a place that is not
 * listed at all (无证经营 happens where no licence was ever issued) described and located by the phone.
 */
export function ShopPicker(props: {
  value: PickedPlace;
  position: { lng: number; lat: number } | null;
  locked: boolean;
  onChange: (v: PickedPlace) => void;
}) {
  const { value, position } = props;
  const [nearby, setNearby] = useState<ShopSummary[] | null>(null);
  const [keyword, setKeyword] = useState('');
  const [found, setFound] = useState<ShopSummary[] | null>(null);
  const [unlisted, setUnlisted] = useState(!!value.place);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!position || value.shopId) return;
    let live = true;
    void api.searchShops({ lng: position.lng, lat: position.lat, radius: 1000, pageSize: 10 }).then(
      (r) => live && setNearby(r.items),
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [position, value.shopId]);

  const search = async () => {
    const q = keyword.trim();
    if (!q) return setFound(null);
    try {
      setFound((await api.searchShops({ q, ...(position ?? {}), pageSize: 20 })).items);
      setError(undefined);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const pick = (s: ShopSummary) => props.onChange({ shopId: s.id, shopName: s.name, place: '' });
  const chip = (s: ShopSummary) => (
    <Text key={s.id} className="picker__chip" data-shop-id={s.id} onClick={() => pick(s)}>
      {s.name}
      {s.distanceM !== null ? `（${distance(s.distanceM)}）` : ''}
    </Text>
  );

  if (value.shopId) {
    return (
      <Text className="picker__chosen" id="complaint-shop">
        {value.shopName}
        {!props.locked && (
          <Text className="picker__link" onClick={() => props.onChange({ shopId: '', shopName: '', place: '' })}>
            {' '}
            更换
          </Text>
        )}
      </Text>
    );
  }
  if (unlisted) {
    return (
      <View className="picker" id="place-form">
        <Textarea
          id="place"
          className="picker__area"
          maxlength={100}
          value={value.place}
          placeholder="描述地点，如：幸福路菜市场东门流动摊位（将按您当前的位置转给属地监管所）"
          onInput={(e) => props.onChange({ shopId: '', shopName: '', place: e.detail.value })}
        />
        <Text className="picker__muted">{position ? '已获取您当前的位置，用于确定承办单位' : '正在获取您的位置…'}</Text>
        <Text
          className="picker__link"
          onClick={() => {
            setUnlisted(false);
            props.onChange({ shopId: '', shopName: '', place: '' });
          }}
        >
          改为选择门店
        </Text>
      </View>
    );
  }
  return (
    <View className="picker">
      <View className="picker__search">
        <Input
          id="shop-search"
          className="picker__input"
          value={keyword}
          placeholder="搜索门店名称或地址"
          confirmType="search"
          onInput={(e) => setKeyword(e.detail.value)}
          onConfirm={() => void search()}
        />
        <Button id="shop-search-button" size="small" onClick={() => void search()}>
          搜索
        </Button>
      </View>
      {found && (
        <View className="picker__choices" id="shop-results">
          {found.length === 0 && <Text className="picker__muted">没有找到，换个关键词，或选“门店不在列表中”</Text>}
          {found.map(chip)}
        </View>
      )}
      <Text className="picker__label">附近 1 公里内的门店</Text>
      <View className="picker__choices" id="nearby-shops">
        {!position && !error && <Text className="picker__muted">正在获取位置…</Text>}
        {position && nearby === null && !error && <Text className="picker__muted">正在查找附近门店…</Text>}
        {nearby?.length === 0 && <Text className="picker__muted">附近没有登记的门店</Text>}
        {nearby?.map(chip)}
      </View>
      {error && <Text className="picker__error">{error}</Text>}
      <Text id="unlisted" className="picker__chip picker__chip--plain" onClick={() => setUnlisted(true)}>
        门店不在列表中（如无证摊点）
      </Text>
    </View>
  );
}
