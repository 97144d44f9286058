// A test double of @tarojs/taro: only the APIs the kit calls, as jest mocks a test can set.
const Taro = {
  chooseImage: jest.fn<Promise<{ tempFilePaths: string[] }>, [unknown]>(),
  showToast: jest.fn(),
  previewImage: jest.fn(),
};

export default Taro;
