import { useCallback, useEffect, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { formatChineseDate, type ShopProfile } from '@ygsa/shared';
import { api } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { GradeBadge } from '../../components/GradeBadge';
import './index.scss';

type Load = { state: 'loading' } | { state: 'ready'; shop: ShopProfile } | { state: 'failed'; error: unknown };

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <View className="shop__section" id={id}>
      <Text className="shop__section-title">{title}</Text>
      {children}
    </View>
  );
}

export default function ShopPage() {
  const { params } = useRouter<{ c?: string; id?: string }>();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [showReasons, setShowReasons] = useState(false);

  const fetchShop = useCallback(async (): Promise<Load> => {
    try {
      const c = params.c ? decodeURIComponent(params.c) : undefined;
      const shop = c ? await api.shopByCode(c) : await api.shop(params.id ?? '');
      void Taro.setNavigationBarTitle({ title: shop.name });
      return { state: 'ready', shop };
    } catch (error) {
      return { state: 'failed', error };
    }
  }, [params.c, params.id]);

  useEffect(() => {
    let live = true;
    void fetchShop().then((l) => live && setLoad(l));
    return () => {
      live = false;
    };
  }, [fetchShop]);

  useShareAppMessage(() =>
    load.state === 'ready'
      ? {
          title: `${load.shop.name} · 信用等级 ${load.shop.grade.grade ?? load.shop.grade.label}`,
          path: `/pages/shop/index?id=${load.shop.id}`,
        }
      : { title: '阳光食安', path: '/pages/index/index' },
  );

  if (load.state === 'loading') return <Text className="shop__loading">正在加载门店档案…</Text>;
  if (load.state === 'failed') {
    return (
      <ErrorState
        error={load.error}
        onRetry={() => {
          setLoad({ state: 'loading' });
          void fetchShop().then(setLoad);
        }}
      />
    );
  }
  const { shop } = load;
  const g = shop.grade;

  return (
    <View className="shop">
      <View className="shop__head">
        <Text className="shop__name" id="shop-name">
          {shop.name}
        </Text>
        <Text className="shop__meta">
          {shop.businessTypeLabel} · {shop.statusLabel} · {shop.address}
        </Text>
      </View>

      <View className="shop__grade" onClick={() => setShowReasons((v) => !v)}>
        <GradeBadge grade={g} />
        <Text className="shop__grade-date" id="grade-date">
          {g.ratedOn ? `评级依据截至 ${formatChineseDate(g.ratedOn)}` : g.reasons[0]}
        </Text>
        {g.stale && (
          <Text className="shop__warning" id="stale-warning">
            该等级已超过12个月未更新，仅供参考
          </Text>
        )}
        <Text className="shop__toggle">{showReasons ? '收起评级说明 ▲' : '查看评级说明 ▼'}</Text>
        {showReasons && (
          <View className="shop__reasons" id="grade-reasons">
            {g.reasons.map((r) => (
              <Text key={r} className="shop__reason">
                · {r}
              </Text>
            ))}
          </View>
        )}
      </View>

      {shop.reply && (
        <Section title="商家回复" id="reply">
          <Text className="shop__text">{shop.reply.text}</Text>
        </Section>
      )}

      <View className="shop__actions">
        <Button
          id="live-button"
          type="primary"
          size="large"
          block
          onClick={() =>
            void Taro.navigateTo({ url: `/more/live/index?shop=${shop.id}&name=${encodeURIComponent(shop.name)}` })
          }
        >
          看后厨
        </Button>
        <Button
          id="complain-button"
          size="large"
          block
          onClick={() =>
            void Taro.navigateTo({ url: `/more/complaint/index?shop=${shop.id}&name=${encodeURIComponent(shop.name)}` })
          }
        >
          投诉举报
        </Button>
      </View>

      <Section title="许可信息" id="licence">
        <Text className="shop__text">
          {shop.licence.typeLabel}：{shop.licence.number}
        </Text>
        <Text className="shop__text">
          有效期 {formatChineseDate(shop.licence.validFrom)} 至 {formatChineseDate(shop.licence.validTo)}
        </Text>
        {shop.licence.expired && <Text className="shop__warning">许可证已过期</Text>}
      </Section>

      <Section title="近三年监督检查" id="inspections">
        {shop.inspections.length === 0 && <Text className="shop__muted">近三年无监督检查记录</Text>}
        {shop.inspections.map((i) => (
          <View key={i.date + i.score} className="shop__row">
            <Text className="shop__text">
              {formatChineseDate(i.date)} · {i.dynamicGradeLabel}（{i.score} 分）
            </Text>
            {i.keyFindings.map((f) => (
              <Text key={f} className="shop__muted">
                {f}
              </Text>
            ))}
          </View>
        ))}
      </Section>

      <Section title="行政处罚" id="penalties">
        {shop.penalties.length === 0 && <Text className="shop__muted">近三年无行政处罚记录</Text>}
        {shop.penalties.map((p) => (
          <View key={p.decisionNumber} className="shop__row">
            <Text className="shop__text">
              {formatChineseDate(p.date)} · {p.decisionNumber}
            </Text>
            <Text className="shop__muted">违法行为：{p.violation}</Text>
            <Text className="shop__muted">处罚：{p.penalty}</Text>
          </View>
        ))}
      </Section>

      <Section title="日常管控" id="self-checks">
        <Text className="shop__text">
          近30天自查按时率：
          {shop.selfCheckOnTimeRate30d === null ? '暂无自查数据' : `${Math.round(shop.selfCheckOnTimeRate30d * 100)}%`}
        </Text>
        <Text className="shop__text">
          未完成整改：{shop.openRectifications === null ? '暂无整改记录' : `${shop.openRectifications} 项`}
        </Text>
      </Section>
    </View>
  );
}
