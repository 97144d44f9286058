import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { type Dashboard, type OperatorShop } from '@ygsa/shared';
import { CodeBindForm, StatusTag } from '@ygsa/kit';
import { api, signedIn } from '../../api/client';
import { currentShop } from '../../state/current-shop';
import { openPage } from '../../nav';
import { askMessageConsent } from '../../platform/subscribe';
import './index.scss';
import { messageOf } from '../../api/errors';

type Load =
  | { state: 'loading' }
  | { state: 'unbound' }
  | { state: 'ready'; shops: OperatorShop[]; dashboard: Dashboard }
  | { state: 'failed'; message: string };

/**
 * Opens a page after asking consent for the app's messages: WeChat asks only inside a tap, and a
 * tap on a task or on 整改与执法 is when reminders, notices and camera alerts become useful.
 */
const withConsent = (open: () => unknown) => async () => {
  await askMessageConsent();
  void open();
};

async function loadHome(): Promise<Load> {
  try {
    await signedIn();
    const shops = await api.myShops();
    if (!shops.length) return { state: 'unbound' };
    const kept = currentShop.get();
    const shop = shops.find((s) => s.id === kept) ?? shops[0]!;
    currentShop.set(shop.id);
    return { state: 'ready', shops, dashboard: await api.dashboard(shop.id) };
  } catch (e) {
    return { state: 'failed', message: messageOf(e) };
  }
}

/** The operator's home: today's tasks, overdue records and the shop's grade; binding when new. */
export default function HomePage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [showBind, setShowBind] = useState(false);

  const refresh = useCallback(() => {
    void loadHome().then(setLoad);
  }, []);
  // Back from a form: the tasks may have changed.
  useDidShow(refresh);

  const bindForm = (
    <CodeBindForm
      title="输入邀请码加入门店"
      hint="主要负责人的邀请码由监管部门发放；员工的邀请码由主要负责人发放。"
      length={8}
      buttonText="加入门店"
      onBind={async (code) => {
        const res = await api.bindShop(code);
        currentShop.set(res.establishmentId);
        setShowBind(false);
        void Taro.showToast({ title: `已加入，身份：${res.roleLabel}`, icon: 'none' });
        refresh();
      }}
    />
  );

  if (load.state === 'loading') return <Text className="home__loading">正在加载…</Text>;
  if (load.state === 'failed') {
    return (
      <View className="home__failed">
        <Text className="home__error">{load.message}</Text>
        <Button id="retry" type="primary" onClick={refresh}>
          重试
        </Button>
      </View>
    );
  }
  if (load.state === 'unbound') return <View className="home">{bindForm}</View>;

  const { dashboard: d, shops } = load;
  const g = d.grade;
  return (
    <View className="home">
      <View className="home__head">
        <Text className="home__shop" id="shop-name">
          {d.shop.name}
        </Text>
        <Text className="home__role">{d.roleLabel}</Text>
        <View className={`home__grade home__grade--${g.colour}`} id="shop-grade">
          <Text>
            {g.grade ? `信用等级 ${g.grade} · ${g.label}` : g.label}
            {g.stale ? '（超过12个月未更新）' : ''}
          </Text>
        </View>
        {d.onTimeRate30d !== null && (
          <Text className="home__rate">近30天日管控按时率 {Math.round(d.onTimeRate30d * 100)}%</Text>
        )}
      </View>

      {shops.length > 1 && (
        <View className="home__switch" id="shop-switch">
          {shops.map((s) => (
            <Text
              key={s.id}
              className={`home__chip ${s.id === d.shop.id ? 'home__chip--on' : ''}`}
              onClick={() => {
                currentShop.set(s.id);
                refresh();
              }}
            >
              {s.name}
            </Text>
          ))}
        </View>
      )}

      {d.cameraAlerts > 0 && (
        <View
          className="home__alert"
          id="camera-alert"
          onClick={withConsent(() => openPage('cameras', { shop: d.shop.id }))}
        >
          <Text>{d.cameraAlerts} 个后厨摄像头在营业时间离线，请尽快处理 ›</Text>
        </View>
      )}

      {d.enforcement.reminders + d.enforcement.notices + d.enforcement.cases > 0 && (
        <View
          className="home__alert"
          id="enforcement-alert"
          onClick={withConsent(() => openPage('notices', { shop: d.shop.id }))}
        >
          <Text>
            {[
              d.enforcement.reminders ? `${d.enforcement.reminders} 条抓拍提醒待确认` : '',
              d.enforcement.notices ? `${d.enforcement.notices} 份整改通知待回复` : '',
              d.enforcement.cases ? `${d.enforcement.cases} 件执法文书待处理` : '',
            ]
              .filter(Boolean)
              .join('，')}{' '}
            ›
          </Text>
        </View>
      )}

      <View className="home__section" id="tasks">
        <Text className="home__section-title">今日任务</Text>
        {d.tasks.map((t) => (
          <View key={t.kind} className="home__task" id={`task-${t.kind}`}>
            <View className="home__task-text">
              <Text className="home__task-label">{t.label}</Text>
              {t.canSubmit && !t.done && (
                <Text className="home__muted home__duty" id={`duty-${t.kind}`}>
                  {t.duty}
                </Text>
              )}
            </View>
            {t.done ? (
              <StatusTag tone="done" text="已完成" />
            ) : t.canSubmit ? (
              <Button
                type="primary"
                size="small"
                id={`start-${t.kind}`}
                onClick={withConsent(() => openPage(t.kind, { shop: d.shop.id, period: t.period }))}
              >
                去填报
              </Button>
            ) : (
              <Text className="home__muted" id={`duty-${t.kind}`}>
                {t.duty}
              </Text>
            )}
          </View>
        ))}
      </View>

      {d.escalations.length > 0 && (
        <View className="home__section" id="escalations">
          <Text className="home__section-title">安全员上报的问题</Text>
          {d.escalations.map((e) => (
            <View key={e.period + e.code} className="home__task">
              <Text className="home__late">
                {e.period} {e.text}：{e.note || '不合格'}（已处理：{e.action}）
              </Text>
            </View>
          ))}
        </View>
      )}

      <View className="home__section" id="overdue">
        <Text className="home__section-title">逾期未填报</Text>
        {d.overdue.length === 0 && <Text className="home__muted">没有逾期记录</Text>}
        {d.overdue.map((o) => (
          <View key={o.kind + o.period} className="home__task">
            <View className="home__task-text">
              <Text className="home__task-label">{o.label}</Text>
              <StatusTag tone="overdue" text="已逾期" />
            </View>
            {d.tasks.find((t) => t.kind === o.kind)?.canSubmit && (
              <Button size="small" onClick={withConsent(() => openPage(o.kind, { shop: d.shop.id, period: o.period }))}>
                补填
              </Button>
            )}
          </View>
        ))}
      </View>

      <View className="home__links">
        <Text id="history-link" className="home__link" onClick={() => void openPage('history', { shop: d.shop.id })}>
          自查记录 ›
        </Text>
        {d.role !== 'safety_officer' && (
          <Text id="reply-link" className="home__link" onClick={() => void openPage('reply', { shop: d.shop.id })}>
            回复评级 ›
          </Text>
        )}
        {d.role !== 'safety_officer' && (
          <Text
            id="checklist-link"
            className="home__link"
            onClick={() => void openPage('checklist', { shop: d.shop.id })}
          >
            风险管控清单 ›
          </Text>
        )}
        {d.shop.school && d.role !== 'safety_officer' && (
          <Text
            id="committee-link"
            className="home__link"
            onClick={() => void openPage('committee', { shop: d.shop.id })}
          >
            家委会 ›
          </Text>
        )}
        <Text
          id="notices-link"
          className="home__link"
          onClick={withConsent(() => openPage('notices', { shop: d.shop.id }))}
        >
          整改与执法 ›
        </Text>
        <Text id="cameras-link" className="home__link" onClick={() => void openPage('cameras', { shop: d.shop.id })}>
          明厨亮灶摄像头 ›
        </Text>
        {d.role === 'owner' && (
          <Text id="team-link" className="home__link" onClick={() => void openPage('team', { shop: d.shop.id })}>
            员工与邀请 ›
          </Text>
        )}
        <Text id="join-link" className="home__link" onClick={() => setShowBind((v) => !v)}>
          加入其他门店 ›
        </Text>
        <Text id="status-link" className="home__link" onClick={() => void openPage('status')}>
          服务状态 ›
        </Text>
      </View>
      {showBind && bindForm}
    </View>
  );
}
