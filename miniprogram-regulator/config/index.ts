import { defineConfig } from '@tarojs/cli';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { taroConfig } = require('../../scripts/taro/app-config.cjs');

export default defineConfig<'webpack5'>(() => taroConfig({ app: 'regulator', projectName: 'ygsa-regulator' }));
