import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { photoSource, uploadPhoto } from '../api/client';
import { messageOf } from '../api/errors';
import './Photos.scss';

/** A stored photo (evidence, a reply) shown by id; tapping it opens it full screen. */
export function StoredPhoto(props: { id: string; caption?: string }) {
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    photoSource(props.id).then(
      (s) => live && setSrc(s),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [props.id]);
  return (
    <View className="photos__item">
      {src ? (
        <Image
          className="photos__img"
          src={src}
          mode="aspectFill"
          onClick={() => void Taro.previewImage({ urls: [src], current: src })}
        />
      ) : (
        <Text className="photos__placeholder">{failed ? '图片加载失败' : '加载中…'}</Text>
      )}
      {props.caption && <Text className="photos__caption">{props.caption}</Text>}
    </View>
  );
}

/** Picks photos (camera or album) and uploads each at once; `onChange` gets the stored ids. */
export function PhotoPicker(props: { id: string; ids: string[]; max?: number; onChange: (ids: string[]) => void }) {
  const [busy, setBusy] = useState(false);
  const max = props.max ?? 9;
  const pick = async () => {
    try {
      const picked = await Taro.chooseImage({
        count: Math.max(1, max - props.ids.length),
        sizeType: ['compressed'],
        sourceType: ['camera', 'album'],
      });
      setBusy(true);
      const added: string[] = [];
      for (const path of picked.tempFilePaths) added.push(await uploadPhoto(path));
      props.onChange([...props.ids, ...added].slice(0, max));
    } catch (e) {
      if (!(e as { errMsg?: string }).errMsg?.includes('cancel'))
        void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="photos">
      <View className="photos__grid" id={`${props.id}-list`}>
        {props.ids.map((id) => (
          <StoredPhoto key={id} id={id} />
        ))}
      </View>
      <Text className="photos__muted">{busy ? '正在上传…' : `已上传 ${props.ids.length} 张`}</Text>
      {props.ids.length < max && (
        <Text className="photos__add" id={props.id} onClick={() => void pick()}>
          + 拍照或从相册选择
        </Text>
      )}
    </View>
  );
}

export function PhotoGrid(props: { ids: string[]; id?: string }) {
  if (!props.ids.length) return null;
  return (
    <View className="photos__grid" id={props.id}>
      {props.ids.map((id) => (
        <StoredPhoto key={id} id={id} />
      ))}
    </View>
  );
}
