import type { PropsWithChildren } from 'react';
import { View } from '@tarojs/components';
import './app.scss';

/** The theme's CSS variables are on `.app-theme` and on each page (app.scss). */
function App({ children }: PropsWithChildren) {
  return <View className="app-theme">{children}</View>;
}

export default App;
