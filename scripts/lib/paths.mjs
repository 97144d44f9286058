// @ts-check
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.cache');
export const DATA = join(ROOT, 'data');
/** The query shapes the API tests recorded, one file per jest worker (scripts/check-query-shapes.mjs). */
export const QUERY_SHAPES = join(CACHE, 'query-shapes');
