import Taro from '@tarojs/taro';

/**
 * Lets the user take or choose up to `count` photos and uploads each with `upload`, in order.
 * Answers the local paths and the stored ids; undefined when the user cancelled the picker.
 * `onUploading` is called once the photos are picked, before the first upload.
 */
export async function pickAndUploadPhotos(options: {
  count: number;
  upload: (filePath: string) => Promise<string>;
  onUploading?: () => void;
}): Promise<{ paths: string[]; ids: string[] } | undefined> {
  let paths: string[];
  try {
    const picked = await Taro.chooseImage({
      count: options.count,
      sizeType: ['compressed'],
      sourceType: ['camera', 'album'],
    });
    paths = picked.tempFilePaths;
  } catch (e) {
    if (isCancel(e)) return undefined;
    throw e;
  }
  if (!paths.length) return undefined;
  options.onUploading?.();
  const ids: string[] = [];
  for (const path of paths) ids.push(await options.upload(path));
  return { paths, ids };
}

/** The picker's own "cancel" failure: not an error to tell the user about. */
export function isCancel(e: unknown): boolean {
  return !!(e as { errMsg?: string } | undefined)?.errMsg?.includes('cancel');
}
