// Webpack plugin for the H5 builds: the page a link opens starts downloading with the app's own
// scripts instead of after them. Taro's H5 router loads each page's code with import() once the app
// has run; on a slow link that is one more round trip and an idle wait before the page (a scanned
// shop's grade) can show. index.html gets a small inline script that reads the route from the
// address and adds <link rel="preload"> for that page's chunks only, so a scanned shop link does
// not fetch the home page's code and the home page does not fetch the shop's.
const HtmlWebpackPlugin = require(
  require.resolve('html-webpack-plugin', { paths: [require.resolve('@tarojs/webpack5-runner')] }),
);

/** The route a Taro hash-router address opens; '' for the app's address alone (the home page). */
function routeScript(files, home) {
  return `(function(m){var h=location.hash.replace(/^#\\/?/,'').split('?')[0]||${JSON.stringify(home)};(m[h]||[]).forEach(function(u){var l=document.createElement('link');l.rel='preload';l.as=/\\.css$/.test(u)?'style':'script';l.href=u;document.head.appendChild(l)})})(${JSON.stringify(files)})`;
}

class RoutePreloadPlugin {
  /** @param {{ pages: string[] }} opts the app's page paths, home first (as app.json lists them) */
  constructor(opts) {
    this.pages = opts.pages;
  }

  apply(compiler) {
    compiler.hooks.thisCompilation.tap('RoutePreloadPlugin', (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap('RoutePreloadPlugin', (data) => {
        const publicPath = compilation.getPath(compilation.outputOptions.publicPath || '', {});
        const initial = new Set();
        for (const entry of compilation.entrypoints.values()) for (const c of entry.chunks) initial.add(c);
        /** @type {Record<string, string[]>} */
        const files = {};
        for (const group of compilation.chunkGroups) {
          const request = group.origins.map((o) => (o.request || '').replace(/\\/g, '/')).find(Boolean);
          const page = request && this.pages.find((p) => request.endsWith(`/${p}`));
          if (!page) continue;
          files[page] = group.chunks
            .filter((c) => !initial.has(c))
            .flatMap((c) => [...c.files])
            .filter((f) => /\.(js|css)$/.test(f))
            .map((f) => publicPath + f);
        }
        const missing = this.pages.filter((p) => !files[p]);
        if (missing.length) {
          compilation.warnings.push(new Error(`RoutePreloadPlugin: no chunk found for ${missing.join(', ')}`));
        }
        data.headTags.unshift(
          HtmlWebpackPlugin.createHtmlTagObject('script', {}, routeScript(files, this.pages[0] ?? '')),
        );
        return data;
      });
    });
  }
}

module.exports = { RoutePreloadPlugin };
