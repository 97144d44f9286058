import Taro from '@tarojs/taro';
import { pickAndUploadPhotos } from './pick-photos';

const chooseImage = Taro.chooseImage as unknown as jest.Mock;

describe('pickAndUploadPhotos', () => {
  beforeEach(() => chooseImage.mockReset());

  it('when photos are picked, then each is uploaded in order after onUploading', async () => {
    chooseImage.mockResolvedValue({ tempFilePaths: ['/a.jpg', '/b.jpg'] });
    const calls: string[] = [];
    const picked = await pickAndUploadPhotos({
      count: 3,
      upload: async (p) => (calls.push(`upload ${p}`), `id${p}`),
      onUploading: () => calls.push('uploading'),
    });
    expect(chooseImage).toHaveBeenCalledWith(expect.objectContaining({ count: 3 }));
    expect(calls).toEqual(['uploading', 'upload /a.jpg', 'upload /b.jpg']);
    expect(picked).toEqual({ paths: ['/a.jpg', '/b.jpg'], ids: ['id/a.jpg', 'id/b.jpg'] });
  });

  it('when the user cancels, then nothing is uploaded and no error is raised', async () => {
    chooseImage.mockRejectedValue({ errMsg: 'chooseImage:fail cancel' });
    const upload = jest.fn();
    expect(await pickAndUploadPhotos({ count: 1, upload })).toBeUndefined();
    expect(upload).not.toHaveBeenCalled();
  });

  it('when an upload fails, then its error reaches the caller', async () => {
    chooseImage.mockResolvedValue({ tempFilePaths: ['/a.jpg'] });
    await expect(
      pickAndUploadPhotos({ count: 1, upload: () => Promise.reject(new Error('图片上传失败')) }),
    ).rejects.toThrow('图片上传失败');
  });
});
