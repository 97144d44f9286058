// @ts-check
// Serves the H5 builds of both mini-programs, and forwards API calls (and, in dev, the fake
// WeChat login) so that the pages call everything on their own origin, as they would in WeChat
// through the configured request domain.
import { createServer } from 'node:http';
import httpProxy from 'http-proxy';
import sirv from 'sirv';

/**
 * @param {{ host?: string, port?: number, apps: Record<string, string>, apiUrl: string | (() => string), mediaUrl?: () => string, fakeWeChatUrl?: string, printedCodes?: { app: string, page: string } }} opts
 *   apps: URL prefix (e.g. "public") → folder of its H5 build
 *   printedCodes: the app whose address printed QR codes carry, and the page WeChat's
 *     扫普通链接二维码打开小程序 rule maps them to (the page gets the encoded address as `q`)
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startWebServer(opts) {
  const proxy = httpProxy.createProxyServer({ xfwd: true, proxyTimeout: 30_000 });
  proxy.on('error', (_err, _req, res) => {
    if (!('writeHead' in res) || res.headersSent) return void res.destroy();
    res.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'INTERNAL', message: '接口服务暂时不可用，请稍后重试' } }));
  });

  const statics = Object.fromEntries(
    Object.entries(opts.apps).map(([prefix, dir]) => [
      prefix,
      sirv(dir, {
        dev: false,
        etag: true,
        // The .br and .gz copies the build made beside each text asset (scripts/lib/precompress.mjs).
        brotli: true,
        gzip: true,
        setHeaders(res, pathname) {
          // Content-hashed assets never change; anything else (the page itself) is revalidated.
          const hashed = /\.[0-9a-f]{8}\.\w+$/.test(pathname);
          res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    ]),
  );

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/healthz' || path.startsWith('/api/'))
      return proxy.web(req, res, { target: typeof opts.apiUrl === 'function' ? opts.apiUrl() : opts.apiUrl });
    // Live video (HLS from nginx-rtmp), so the H5 pages play it from their own origin.
    if (opts.mediaUrl && (path.startsWith('/hls/') || path.startsWith('/rec/')))
      return proxy.web(req, res, { target: opts.mediaUrl() });
    if (opts.fakeWeChatUrl && path.startsWith('/__fake_wechat__/')) {
      req.url = req.url?.slice('/__fake_wechat__'.length);
      return proxy.web(req, res, { target: opts.fakeWeChatUrl });
    }
    const [, prefix] = path.split('/');
    // A printed code's address, opened as WeChat opens it: the mapped page with q=<the address>.
    if (opts.printedCodes && path === `/${opts.printedCodes.app}/` && url.searchParams.has('c')) {
      const full = `http://${req.headers.host ?? 'localhost'}${req.url ?? ''}`;
      const scanned = Math.floor(Date.now() / 1000);
      const target = `/${opts.printedCodes.app}/#/${opts.printedCodes.page}?q=${encodeURIComponent(full)}&scancode_time=${scanned}`;
      res.writeHead(302, { Location: target }).end();
      return;
    }
    if (prefix && statics[prefix]) {
      if (path === `/${prefix}`) {
        res.writeHead(301, { Location: `/${prefix}/` }).end();
        return;
      }
      req.url = (req.url ?? '/').slice(prefix.length + 1) || '/';
      return statics[prefix](req, res, () => {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('页面不存在');
      });
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (path === '/') {
      const first = Object.keys(opts.apps)[0];
      res.writeHead(302, { Location: `/${first}/` }).end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('页面不存在');
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve(undefined));
  });
  const addr = server.address();
  const url = `http://${host}:${typeof addr === 'object' && addr ? addr.port : opts.port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          proxy.close();
          resolve();
        });
      }),
  };
}
