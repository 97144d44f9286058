import { useCallback, useEffect, useState } from 'react';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Text, Video, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError, type Camera, type CameraAlert, type LiveUrl } from '@ygsa/shared';
import { PageState, StatusTag } from '@ygsa/kit';
import { cameraAlertStatus, cameraStatus } from '../../components/statuses';
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

type Loaded = { cameras: Camera[]; alerts: CameraAlert[] };
type Preview =
  | { state: 'idle' }
  | { state: 'loading'; cameraId: string }
  | { state: 'playing'; cameraId: string; live: LiveUrl }
  | { state: 'failed'; cameraId: string; message: string };

/** The own-kitchen preview of one camera: a signed HLS address from the API, played by Taro's Video. */
function PreviewStage({ preview, onStop }: { preview: Preview; onStop: () => void }) {
  if (preview.state === 'idle') return null;
  return (
    <View className="cams__stage" id="preview">
      {preview.state === 'loading' && <Text className="cams__stage-text">正在连接直播…</Text>}
      {preview.state === 'failed' && (
        <Text className="cams__stage-text" id="preview-error">
          {preview.message}
        </Text>
      )}
      {preview.state === 'playing' && (
        <>
          <Video
            id="preview-video"
            className="cams__video"
            src={preview.live.url}
            autoplay
            muted
            isLive
            controls
            objectFit="contain"
            showFullscreenBtn
          />
          {preview.live.watermark && <Text className="cams__watermark">{preview.live.watermark}</Text>}
        </>
      )}
      <Text className="cams__stop" id="preview-stop" onClick={onStop}>
        关闭预览
      </Text>
    </View>
  );
}

/** 明厨亮灶: the shop's kitchen cameras, whether each is online, a live preview, and outages during opening hours. */
export default function CamerasPage() {
  const { params } = useRouter<{ shop?: string }>();
  const shop = params.shop ?? '';
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>();
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });

  const fetchAll = useCallback(async (): Promise<{ data?: Loaded; error?: unknown }> => {
    try {
      await signedIn();
      const [cameras, alerts] = await Promise.all([api.operatorCameras(shop), api.cameraAlerts(shop)]);
      return { data: { cameras, alerts } };
    } catch (e) {
      return { error: e };
    }
  }, [shop]);
  const show = (r: { data?: Loaded; error?: unknown }) => {
    setData(r.data ?? null);
    setError(r.error);
  };

  useEffect(() => {
    let live = true;
    void fetchAll().then((r) => live && show(r));
    return () => {
      live = false;
    };
  }, [fetchAll]);

  usePullDownRefresh(() => {
    void fetchAll().then((r) => {
      show(r);
      void Taro.stopPullDownRefresh();
    });
  });

  const watch = async (cameraId: string) => {
    setPreview({ state: 'loading', cameraId });
    try {
      await signedIn();
      setPreview({ state: 'playing', cameraId, live: await api.ownKitchenUrl(shop, cameraId) });
    } catch (e) {
      setPreview({ state: 'failed', cameraId, message: e instanceof ApiError ? e.message : messageOf(e) });
    }
  };

  if (error) return <PageState state="failed" error={error} onRetry={() => void fetchAll().then(show)} />;
  if (!data) return <PageState state="loading" />;
  const open = data.alerts.filter((a) => a.level !== 'resolved');
  const past = data.alerts.filter((a) => a.level === 'resolved');
  return (
    <View className="cams">
      {open.length > 0 && (
        <View className="cams__alerts" id="open-alerts">
          {open.map((a) => {
            const [tone, text] = cameraAlertStatus(a.level);
            return (
              <View key={a.id} className="cams__alert">
                <View className="cams__row-head">
                  <Text className="cams__alert-title">
                    {a.zoneLabel} · {a.cameraName}：{text}
                  </Text>
                  <StatusTag tone={tone} text="离线" />
                </View>
                <Text className="cams__alert-text">
                  {when(a.offlineSince)} 起离线，已 {duration(a.offlineMinutes)}。请检查摄像头电源与网络；
                  营业时间直播中断会被监管部门记录。
                </Text>
              </View>
            );
          })}
        </View>
      )}
      <View className="cams__list" id="camera-list">
        {data.cameras.length === 0 && <Text className="cams__muted">本店还没有接入摄像头，请联系监管所登记。</Text>}
        {data.cameras.map((c) => {
          const [tone, text] = cameraStatus(c.online);
          const mine = preview.state !== 'idle' && preview.cameraId === c.id;
          return (
            <View key={c.id} className="cams__row" id={`camera-${c.id}`}>
              <View className="cams__row-head">
                <Text className="cams__name">
                  {c.zoneLabel} · {c.name}
                </Text>
                <StatusTag tone={tone} text={text} />
              </View>
              <Text className="cams__muted">
                {c.lastSeenAt ? `最后在线 ${when(c.lastSeenAt)}` : '尚未上线（请按推流地址配置摄像头）'}
              </Text>
              {c.publishPath && <Text className="cams__key">推流路径：{c.publishPath}</Text>}
              {mine ? (
                <PreviewStage preview={preview} onStop={() => setPreview({ state: 'idle' })} />
              ) : (
                <Button size="small" id={`watch-${c.id}`} disabled={!c.online} onClick={() => void watch(c.id)}>
                  {c.online ? '预览画面' : '离线，无法预览'}
                </Button>
              )}
            </View>
          );
        })}
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
