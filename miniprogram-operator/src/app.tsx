import type { PropsWithChildren } from 'react';
import { ConfigProvider } from '@nutui/nutui-react-taro';
import { theme } from './theme';
import './app.scss';

function App({ children }: PropsWithChildren) {
  return <ConfigProvider theme={theme}>{children}</ConfigProvider>;
}

export default App;
