import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { pickAndUploadPhotos } from '@ygsa/kit';
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
    <View className="photos__item" data-photo={props.id}>
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

/**
 * Picks photos (camera or album) and uploads each at once; `onChange` gets the stored ids. Each
 * thumbnail can be removed or retaken (a new photo in its place); ids: `<id>` adds, `<id>-list`
 * holds the thumbnails, `<id>-remove-<n>` and `<id>-retake-<n>` act on the n-th.
 */
export function PhotoPicker(props: {
  id: string;
  ids: string[];
  max?: number;
  onChange: (ids: string[]) => void;
  addText?: string;
}) {
  const [busy, setBusy] = useState<number | 'add' | null>(null);
  const max = props.max ?? 9;
  const run = async (what: number | 'add') => {
    try {
      const picked = await pickAndUploadPhotos({
        count: what === 'add' ? Math.max(1, max - props.ids.length) : 1,
        upload: uploadPhoto,
        onUploading: () => setBusy(what),
      });
      if (!picked) return;
      const added = picked.ids;
      if (what === 'add') props.onChange([...props.ids, ...added].slice(0, max));
      else props.onChange(props.ids.map((id, i) => (i === what ? added[0]! : id)));
    } catch (e) {
      void Taro.showToast({ title: messageOf(e), icon: 'none' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <View className="photos">
      {props.ids.length > 0 && (
        <View className="photos__grid" id={`${props.id}-list`}>
          {props.ids.map((id, i) => (
            <View key={`${id}-${i}`} className="photos__cell">
              <StoredPhoto id={id} />
              <View className="photos__actions">
                <Text
                  className="photos__action"
                  id={`${props.id}-retake-${i}`}
                  onClick={() => busy === null && void run(i)}
                >
                  {busy === i ? '上传中…' : '重拍'}
                </Text>
                <Text
                  className="photos__action photos__action--remove"
                  id={`${props.id}-remove-${i}`}
                  onClick={() => busy === null && props.onChange(props.ids.filter((_, j) => j !== i))}
                >
                  删除
                </Text>
              </View>
            </View>
          ))}
        </View>
      )}
      <Text className="photos__muted" id={`${props.id}-count`}>
        {busy === 'add' ? '正在上传…' : props.ids.length ? `已上传 ${props.ids.length} 张` : '未拍照'}
      </Text>
      {props.ids.length < max && (
        <Text className="photos__add" id={props.id} onClick={() => busy === null && void run('add')}>
          {props.addText ?? '+ 拍照或从相册选择'}
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
