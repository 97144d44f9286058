import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Camera, CameraAlert } from '@ygsa/shared';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import './index.scss';

const when = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
const duration = (minutes: number) =>
  minutes < 60 ? `${minutes} 分钟` : `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟`;

const LEVEL_TEXT: Record<CameraAlert['level'], string> = {
  alert: '营业时间离线',
  rectify: '长时间离线，请立即整改',
  resolved: '已恢复',
};

type Loaded = { cameras: Camera[]; alerts: CameraAlert[] };

/** 明厨亮灶: the shop's kitchen cameras, whether each is online, and outages during opening hours. */
export default function CamerasPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string>();

  const fetchAll = useCallback(async (): Promise<{ data?: Loaded; error?: string }> => {
    try {
      await signedIn();
      const [cameras, alerts] = await Promise.all([api.operatorCameras(shop), api.cameraAlerts(shop)]);
      return { data: { cameras, alerts } };
    } catch (e) {
      return { error: messageOf(e, '加载失败') };
    }
  }, [shop]);

  useEffect(() => {
    let live = true;
    void fetchAll().then((r) => {
      if (!live) return;
      setData(r.data ?? null);
      setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [fetchAll]);

  usePullDownRefresh(() => {
    void fetchAll().then((r) => {
      setData(r.data ?? null);
      setError(r.error);
      void Taro.stopPullDownRefresh();
    });
  });

  if (error) return <Text className="cams__error">{error}</Text>;
  if (!data) return <Text className="cams__muted cams__pad">正在加载…</Text>;
  const open = data.alerts.filter((a) => a.level !== 'resolved');
  const past = data.alerts.filter((a) => a.level === 'resolved');
  return (
    <View className="cams">
      {open.length > 0 && (
        <View className="cams__alerts" id="open-alerts">
          {open.map((a) => (
            <View key={a.id} className={`cams__alert cams__alert--${a.level}`}>
              <Text className="cams__alert-title">
                {a.zoneLabel} · {a.cameraName}：{LEVEL_TEXT[a.level]}
              </Text>
              <Text className="cams__alert-text">
                {when(a.offlineSince)} 起离线，已 {duration(a.offlineMinutes)}。请检查摄像头电源与网络；
                营业时间直播中断会被监管部门记录。
              </Text>
            </View>
          ))}
        </View>
      )}
      <View className="cams__list" id="camera-list">
        {data.cameras.length === 0 && <Text className="cams__muted">本店还没有接入摄像头，请联系监管所登记。</Text>}
        {data.cameras.map((c) => (
          <View key={c.id} className="cams__row" id={`camera-${c.id}`}>
            <View className="cams__row-head">
              <Text className="cams__name">
                {c.zoneLabel} · {c.name}
              </Text>
              <Text className={`cams__state cams__state--${c.online ? 'on' : 'off'}`}>
                {c.online ? '在线' : '离线'}
              </Text>
            </View>
            <Text className="cams__muted">
              {c.lastSeenAt ? `最后在线 ${when(c.lastSeenAt)}` : '尚未上线（请按推流地址配置摄像头）'}
            </Text>
            {c.publishPath && <Text className="cams__key">推流路径：{c.publishPath}</Text>}
          </View>
        ))}
      </View>
      {past.length > 0 && (
        <View className="cams__list" id="past-alerts">
          <Text className="cams__section">近 30 天离线记录</Text>
          {past.map((a) => (
            <Text key={a.id} className="cams__muted">
              {when(a.offlineSince)} {a.zoneLabel} · {a.cameraName} 离线 {duration(a.offlineMinutes)}
            </Text>
          ))}
        </View>
      )}
    </View>
  );
}
