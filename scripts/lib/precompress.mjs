// @ts-check
// Brotli and gzip copies of an H5 build's text assets, made once at build time (at the highest
// settings, which would be too slow per request) and served by the web server in place of the
// original to clients that accept them.
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|css|html|svg|json|txt|map)$/;
/** Smaller files gain too little to be worth a second copy. */
const MIN_BYTES = 512;

/** @param {string} dir @returns {string[]} */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * Writes `<file>.br` and `<file>.gz` next to each text asset of `dir` (replacing older ones), keeping
 * a copy only when it is smaller. Returns the bytes before and after, for the build log.
 * @param {string} dir
 */
export function precompress(dir) {
  let raw = 0;
  let br = 0;
  let gz = 0;
  const all = files(dir);
  for (const file of all) if (/\.(br|gz)$/.test(file)) unlinkSync(file);
  for (const file of all) {
    if (!TEXT.test(file)) continue;
    const size = statSync(file).size;
    raw += size;
    if (size < MIN_BYTES) {
      br += size;
      gz += size;
      continue;
    }
    const body = readFileSync(file);
    const b = brotliCompressSync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: size,
      },
    });
    const g = gzipSync(body, { level: 9 });
    if (b.length < size) writeFileSync(`${file}.br`, b);
    if (g.length < size) writeFileSync(`${file}.gz`, g);
    br += Math.min(b.length, size);
    gz += Math.min(g.length, size);
  }
  return { raw, br, gz };
}
