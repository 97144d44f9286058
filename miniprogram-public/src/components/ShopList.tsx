import { Text, View } from '@tarojs/components';
import type { ShopSummary } from '@ygsa/shared';
import { openPage } from '../nav';
import { GradeBadge } from './GradeBadge';
import './ShopList.scss';

const distanceText = (m: number | null) => (m === null ? '' : m < 1000 ? `${m} 米` : `${(m / 1000).toFixed(1)} 公里`);

export function ShopList({ shops, why }: { shops: (ShopSummary & { why?: string })[]; why?: boolean }) {
  return (
    <View className="shop-list">
      {shops.map((s) => (
        <View
          key={s.id}
          className="shop-list__item"
          data-shop-id={s.id}
          onClick={() => void openPage('shop', { id: s.id })}
        >
          <View className="shop-list__main">
            <Text className="shop-list__name">{s.name}</Text>
            <View className="shop-list__meta">
              <Text className="shop-list__address">
                {s.businessTypeLabel} · {s.address}
              </Text>
              {s.distanceM !== null && <Text className="shop-list__distance">{distanceText(s.distanceM)}</Text>}
            </View>
            {/* A shop that may not operate says so before anything else on its line. */}
            {!s.standing.gradeCurrent && (
              <Text className="shop-list__standing" data-kind={s.standing.kind}>
                {s.standing.label} · 等级当前无效
              </Text>
            )}
            {s.standing.gradeCurrent && s.grade.stale && <Text className="shop-list__stale">等级超过12个月未更新</Text>}
            {why && s.why && <Text className="shop-list__why">{s.why}</Text>}
          </View>
          <View className={s.standing.gradeCurrent ? '' : 'shop-list__void'}>
            <GradeBadge grade={{ ...s.grade, smiley: null }} size="small" />
          </View>
        </View>
      ))}
    </View>
  );
}
