import { z } from 'zod';
import { zhCN } from 'zod/locales';

// WeChat's JS engine forbids `new Function`; zod 4 would otherwise probe for it and compile
// object parsers with it. Messages default to Chinese, since they reach users as error details.
// Only the zh-CN locale is imported, so bundles carry no other language.
// Every module of this package imports zod from here so this runs first.
z.config({ jitless: true, ...zhCN() });

export { z };
