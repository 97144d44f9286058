// @ts-check
// Sizes of a weapp build as WeChat counts them: the main package is everything outside the
// subpackage roots declared in app.json, and may not exceed 2 MB. CommonJS so that both the
// build script and the jest tests can load it.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;

/** @param {string} dir @returns {string[]} */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** @param {string} distDir a weapp build folder (with app.json) */
function weappSizes(distDir) {
  const app = JSON.parse(readFileSync(join(distDir, 'app.json'), 'utf8'));
  /** @type {{ root: string }[]} */
  const subs = app.subPackages ?? app.subpackages ?? [];
  const roots = subs.map((s) => s.root.replace(/\/?$/, '/'));
  let main = 0;
  /** @type {Record<string, number>} */
  const subpackages = Object.fromEntries(roots.map((r) => [r, 0]));
  for (const file of files(distDir)) {
    const rel = relative(distDir, file).split('\\').join('/');
    // Licence notes are not uploaded to WeChat.
    if (rel.endsWith('.LICENSE.txt')) continue;
    const size = statSync(file).size;
    const root = roots.find((r) => rel.startsWith(r));
    if (root) subpackages[root] = (subpackages[root] ?? 0) + size;
    else main += size;
  }
  const total = main + Object.values(subpackages).reduce((a, b) => a + b, 0);
  return { main, subpackages, total };
}

const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;

module.exports = { MAIN_PACKAGE_LIMIT, weappSizes, kb };
