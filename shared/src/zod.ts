import { z } from 'zod';

// WeChat's JS engine forbids `new Function`; zod 4 would otherwise probe for it and compile
// object parsers with it. Messages default to Chinese, since they reach users as error details.
// Every module of this package imports zod from here so this runs first.
z.config({ jitless: true, ...z.locales.zhCN() });

export { z };
