import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, useLoad, useShareAppMessage } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import {
  ApiError,
  enterKey,
  formatChineseDate,
  formatChineseDateTime,
  pagePath,
  sameShopEntry,
  shopEntryFromQuery,
  shopReentry,
  type ShopEntry,
  type ShopProfile,
} from '@ygsa/shared';
import type { Loaded } from '@ygsa/kit';
import { api } from '../../api/client';
import { ErrorState } from '../../components/ErrorState';
import { GradeBadge } from '../../components/GradeBadge';
import { ShareButton } from '../../components/ShareButton';
import { goHome, openPage } from '../../nav';
import { enterOptions, onReenter } from '../../platform/entry';
import './index.scss';

type Load = Loaded<ShopProfile>;

/** What the 看后厨 button says: the state of the live view, before the diner taps. */
function liveButton(live: ShopProfile['live']): {
  text: string;
  enabled: boolean;
  /** Live now: the big green button; otherwise a plain one that still opens the page. */
  live: boolean;
  hint: string | null;
} {
  if (!live.cameras) return { text: '尚未接入明厨亮灶', enabled: false, live: false, hint: null };
  if (live.committeeOnly)
    return { text: '看后厨', enabled: true, live: true, hint: '学校食堂直播仅对本校家委会成员开放' };
  if (live.resting)
    return {
      text: '看后厨 · 休息中',
      enabled: true,
      live: false,
      hint: `营业时间 ${live.openingHours ?? ''}，营业时可看直播`,
    };
  return { text: '看后厨', enabled: true, live: true, hint: null };
}

/** The shop an entry names, or why there is none to show. */
async function loadShop(entry: ShopEntry): Promise<Load> {
  try {
    if (entry.kind === 'invalid') throw new ApiError('QR_INVALID', '二维码无效', 400);
    if (entry.kind === 'none') throw new ApiError('NOT_FOUND', '未指定门店', 404);
    const shop = entry.kind === 'code' ? await api.shopByCode(entry.payload) : await api.shop(entry.id);
    void Taro.setNavigationBarTitle({ title: shop.name });
    return { state: 'ready', value: shop };
  } catch (error) {
    return { state: 'failed', error };
  }
}

function Section({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <View className="shop__section" id={id}>
      <Text className="shop__section-title">{title}</Text>
      {children}
    </View>
  );
}

/**
 * A shop's 一户一档 public file. It opens the way WeChat opens it: a 小程序码's `scene`, a printed
 * code's `q`, a link's `c` or an `id` from inside the app, read by the shared entry function in
 * onLoad; and again when the app is entered anew (hot start) onto this page with another shop.
 */
export default function ShopPage() {
  const [entry, setEntry] = useState<ShopEntry | null>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [showReasons, setShowReasons] = useState(false);
  const seen = useRef('');
  const shown = useRef<ShopEntry | null>(null);

  /** Shows the shop an entry names (a new object loads again, which is how retry works). */
  const show = useCallback((next: ShopEntry) => {
    shown.current = next;
    setEntry(next);
    setLoad({ state: 'loading' });
    setShowReasons(false);
  }, []);

  useLoad((query) => {
    seen.current = enterKey(enterOptions());
    show(shopEntryFromQuery(query));
  });

  // A hot start onto this page with another shop's code shows that shop.
  const reenter = useCallback(() => {
    const next = shopReentry(seen.current, enterOptions());
    seen.current = next.key;
    if (next.entry && !(shown.current && sameShopEntry(shown.current, next.entry))) show(next.entry);
  }, [show]);
  useDidShow(reenter);
  useEffect(() => onReenter(reenter), [reenter]);

  useEffect(() => {
    if (!entry) return;
    let live = true;
    void loadShop(entry).then((l) => live && setLoad(l));
    return () => {
      live = false;
    };
  }, [entry]);

  useShareAppMessage(() =>
    load.state === 'ready'
      ? {
          title: `${load.value.name} · 信用等级 ${load.value.grade.grade ?? load.value.grade.label}`,
          path: `/${pagePath('public', 'shop', { id: load.value.id })}`,
        }
      : { title: '阳光食安', path: `/${pagePath('public', 'home')}` },
  );

  if (load.state === 'loading') return <Text className="shop__loading">正在加载门店档案…</Text>;
  if (load.state === 'failed') {
    return (
      <View className="shop">
        <ErrorState error={load.error} onRetry={() => entry && show({ ...entry })} />
        <Button id="go-home" size="large" block onClick={() => void goHome()}>
          返回首页
        </Button>
      </View>
    );
  }
  const shop = load.value;
  const g = shop.grade;
  const standing = shop.standing;
  const live = liveButton(shop.live);

  return (
    <View className="shop">
      <View className="shop__head">
        <Text className="shop__name" id="shop-name">
          {shop.name}
        </Text>
        <Text className="shop__meta">
          {shop.businessTypeLabel} · {standing.label} · {shop.address}
        </Text>
      </View>

      {/* A shop that may not operate says so first: its grade is history, not a recommendation. */}
      {!standing.gradeCurrent && (
        <View className="shop__standing" id="standing" data-kind={standing.kind}>
          <Text className="shop__standing-label">{standing.label}</Text>
          <Text className="shop__standing-notice">{standing.notice}</Text>
        </View>
      )}

      <View
        className={`shop__grade ${standing.gradeCurrent ? '' : 'shop__grade--void'}`}
        onClick={() => setShowReasons((v) => !v)}
      >
        <GradeBadge grade={g} />
        {!standing.gradeCurrent && (
          <Text className="shop__warning" id="grade-void">
            该等级当前无效（{standing.label}），仅作历史记录
          </Text>
        )}
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
          type={live.live ? 'primary' : 'default'}
          size="large"
          block
          disabled={!live.enabled}
          onClick={() => live.enabled && void openPage('live', { shop: shop.id, name: shop.name })}
        >
          {live.text}
        </Button>
        {live.hint && (
          <Text className="shop__muted shop__center" id="live-hint">
            {live.hint}
          </Text>
        )}
        <Button
          id="complain-button"
          size="large"
          block
          onClick={() => void openPage('complaint', { shop: shop.id, name: shop.name })}
        >
          投诉举报
        </Button>
        <ShareButton query={{ id: shop.id }} />
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
        <Text className="shop__text" id="open-rectifications">
          未完成整改：
          {shop.openRectifications === null
            ? '暂无整改记录'
            : shop.openRectifications === 0
              ? '无（整改均已通过审核）'
              : `${shop.openRectifications} 项`}
        </Text>
      </Section>

      <Text className="shop__muted shop__center" id="updated-at">
        档案更新于 {formatChineseDateTime(shop.updatedAt)}
      </Text>
    </View>
  );
}
