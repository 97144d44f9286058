import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, Video, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { ApiError, type LiveUrl, type ShopLive } from '@ygsa/shared';
import { api, signedIn } from '../../api/client';
import { messageOf } from '../../api/errors';
import { openPage } from '../../nav';
import './index.scss';

// H5: Taro's Video plays HLS through hls.js with its defaults (three fragments behind the live
// edge). Two fragments, and catching up faster when behind, keep the kitchen about a second
// closer to now; the weapp build plays with WeChat's own player and never loads hls.js.
if (process.env.TARO_ENV === 'h5') {
  void import('hls.js').then(({ default: Hls }) => {
    Hls.DefaultConfig.liveSyncDurationCount = 2;
    Hls.DefaultConfig.maxLiveSyncPlaybackRate = 1.5;
  });
}

type Play =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'playing'; live: LiveUrl }
  | { state: 'refused'; message: string; forbidden: boolean };

async function fetchPlay(cameraId: string): Promise<Play> {
  try {
    await signedIn();
    return { state: 'playing', live: await api.liveUrl(cameraId) };
  } catch (e) {
    return {
      state: 'refused',
      message: e instanceof ApiError ? e.message : messageOf(e),
      forbidden: e instanceof ApiError && e.code === 'FORBIDDEN',
    };
  }
}

/** What a zone button says: closed hours first (nothing is shown then), then whether it is sending. */
function zoneState(info: ShopLive, online: boolean): string {
  if (info.resting) return '休息中';
  return online ? '在线' : '离线';
}

/** 看后厨: the shop's kitchen cameras by zone; school canteens for their parents' committee only. */
export default function LivePage() {
  const { params } = useRouter<{ shop?: string; name?: string }>();
  const shop = params.shop ?? '';
  const [info, setInfo] = useState<ShopLive | null>(null);
  const [selected, setSelected] = useState<string>();
  const [play, setPlay] = useState<Play>({ state: 'idle' });
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    void api.shopLive(shop).then(
      (got) => {
        if (!live) return;
        setInfo(got);
        // Outside opening hours nothing is shown, so nothing is asked for.
        if (!got.resting) setSelected((got.cameras.find((c) => c.online) ?? got.cameras[0])?.id);
      },
      (e: unknown) => live && setError(messageOf(e, '加载失败')),
    );
    if (params.name) void Taro.setNavigationBarTitle({ title: `${decodeURIComponent(params.name)} · 看后厨` });
    return () => {
      live = false;
    };
  }, [shop, params.name]);

  // Asks for a signed address (the access policy decides), and renews it a minute before it expires.
  useEffect(() => {
    if (!selected) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      const p = await fetchPlay(selected);
      if (!live) return;
      setPlay(p);
      if (p.state === 'playing') {
        timer = setTimeout(() => void load(), Math.max(30_000, Date.parse(p.live.expiresAt) - Date.now() - 60_000));
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [selected]);

  if (error) return <Text className="live__message">{error}</Text>;
  if (!info) return <Text className="live__message">正在加载摄像头…</Text>;
  const cameras = info.cameras;
  if (!cameras.length) {
    return (
      <Text className="live__message live__message--empty" id="live-empty">
        该门店尚未接入明厨亮灶直播
      </Text>
    );
  }
  return (
    <View className="live">
      <View className="live__zones" id="zones">
        {cameras.map((c) => (
          <Text
            key={c.id}
            id={`camera-${c.id}`}
            className={`live__zone ${c.id === selected ? 'live__zone--on' : ''}`}
            onClick={() => !info.resting && setSelected(c.id)}
          >
            {c.zoneLabel} · {zoneState(info, c.online)}
          </Text>
        ))}
      </View>
      <View className="live__stage">
        {play.state === 'playing' ? (
          <>
            <Video
              id="live-video"
              className="live__video"
              src={play.live.url}
              autoplay
              muted
              isLive
              controls
              objectFit="contain"
              showFullscreenBtn
            />
            {play.live.watermark && (
              <Text className="live__watermark" id="watermark">
                {play.live.watermark}
              </Text>
            )}
          </>
        ) : info.resting ? (
          <Text className="live__message" id="live-message">
            现在是休息时间，营业时间 {info.openingHours} 可看后厨直播
          </Text>
        ) : (
          <View className="live__refused">
            <Text className="live__message" id="live-message">
              {play.state === 'refused' ? play.message : '正在连接…'}
            </Text>
            {/* A school's stream is for its parents' committee: the way in is one tap away. */}
            {play.state === 'refused' && play.forbidden && info.committeeOnly && (
              <Button id="join-committee" type="primary" onClick={() => void openPage('committee')}>
                加入家委会
              </Button>
            )}
          </View>
        )}
      </View>
      <Text className="live__hint">直播仅展示后厨切配、烹饪、专间、洗消区域。</Text>
    </View>
  );
}
