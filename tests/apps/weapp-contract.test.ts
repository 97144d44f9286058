import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MESSAGE_KINDS, PAGES, SUBSCRIBE_MESSAGES, pagePath, type PageApp } from '@ygsa/shared';

/**
 * What WeChat checks only on a phone or in its console, checked here on the built weapp and the
 * sources: every page the server links to exists in the app that gets the link; WeChat-only APIs
 * sit behind adapters that have an H5 side; the scan paths and the shop page share one entry function.
 */
const ROOT = join(__dirname, '..', '..');
const APPS: Record<PageApp, string> = {
  public: 'miniprogram-public',
  operator: 'miniprogram-operator',
  regulator: 'miniprogram-regulator',
};

function builtPages(app: PageApp): string[] {
  const json = JSON.parse(readFileSync(join(ROOT, APPS[app], 'dist', 'weapp', 'app.json'), 'utf8')) as {
    pages: string[];
    subPackages?: { root: string; pages: string[] }[];
  };
  return [...json.pages, ...(json.subPackages ?? []).flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
}

function walk(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}
const sources = (dir: string) => walk(dir, /\.(ts|tsx)$/);

describe.each(Object.keys(APPS) as PageApp[])('the %s weapp', (app) => {
  const src = join(ROOT, APPS[app], 'src');

  it('lists exactly the pages of the shared page table, the home page first', () => {
    const pages = builtPages(app);
    expect([...pages].sort()).toEqual([...Object.values(PAGES[app])].sort());
    expect(pages[0]).toBe(PAGES[app].home);
  });

  it('has every page its subscribe messages open', () => {
    const pages = builtPages(app);
    for (const kind of MESSAGE_KINDS.filter((k) => SUBSCRIBE_MESSAGES[k].app === app)) {
      for (const page of SUBSCRIBE_MESSAGES[kind].pages) {
        expect([kind, pages.includes(pagePath(app, page as never))]).toEqual([kind, true]);
      }
    }
  });

  it('carries the template ids it asks consent for (the same ids the API sends with)', () => {
    const bundle = walk(join(ROOT, APPS[app], 'dist', 'weapp'), /\.js$/)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const kind of MESSAGE_KINDS.filter((k) => SUBSCRIBE_MESSAGES[k].app === app)) {
      expect([kind, bundle.includes(SUBSCRIBE_MESSAGES[kind].devTemplateId)]).toEqual([kind, true]);
    }
  });

  it('names no page by a literal path: navigation and share paths come from the page table', () => {
    const offenders = sources(src)
      .filter((f) => !f.endsWith('app.config.ts'))
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/['"`]\/?(pages|more)\/[\w-]+\/index/g)].map(
          (m) => `${relative(src, f)}: ${m[0]}`,
        ),
      );
    expect(offenders).toEqual([]);
  });

  it('calls WeChat-only APIs only in adapters that have an H5 side', () => {
    const WECHAT_ONLY =
      /Taro\.(scanCode|login|requestSubscribeMessage|getLocation|getEnterOptionsSync|getLaunchOptionsSync|onAppShow|getSetting|openSetting)\b|openType="getPhoneNumber"/;
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      if (!WECHAT_ONLY.test(text)) continue;
      const where = relative(src, file);
      const adapter = where.startsWith('platform/') || where.startsWith('components/');
      const hasH5Side =
        /process\.env\.TARO_ENV\s*[!=]==\s*'(h5|weapp)'/.test(text) || /env:\s*process\.env\.TARO_ENV/.test(text);
      expect([where, adapter && hasH5Side]).toEqual([where, true]);
    }
  });

  it('has no eval or new Function (WeChat forbids dynamic code)', () => {
    for (const file of readdirSync(join(ROOT, APPS[app], 'dist', 'weapp')).filter((f) =>
      /^(app|common)\.js$/.test(f),
    )) {
      const text = readFileSync(join(ROOT, APPS[app], 'dist', 'weapp', file), 'utf8');
      expect([file, /\beval\(|new Function\(/.test(text)]).toEqual([file, false]);
    }
  });
});

describe('one entry function for every way into a shop', () => {
  const read = (p: string) => readFileSync(join(ROOT, 'miniprogram-public', 'src', p), 'utf8');

  it('the shop page reads its query and hot re-entries with the shared functions', () => {
    const page = read('pages/shop/index.tsx');
    expect(page).toMatch(/shopEntryFromQuery\(query\)/);
    expect(page).toMatch(/shopReentry\(/);
    expect(page).not.toMatch(/params\.(c|id|scene|q)\b/);
  });

  it('the scanner reads 小程序码 and QR codes with the shared scan function', () => {
    const device = read('platform/device.ts');
    expect(device).toMatch(/scanType = \['wxCode', 'qrCode'\]/);
    expect(device).toMatch(/shopEntryFromScan\(res\)/);
  });

  it('the home page does not handle launches (a code opens the shop page itself)', () => {
    expect(read('pages/index/index.tsx')).not.toMatch(/getLaunchOptionsSync|scene/);
  });

  it("the server's 小程序码 opens the shop page of the page table", () => {
    const qr = readFileSync(join(ROOT, 'cloud-api', 'src', 'modules', 'qr', 'qr.service.ts'), 'utf8');
    expect(qr).toMatch(/SHOP_PAGE = PAGES\.public\.shop/);
    expect(builtPages('public')).toContain(PAGES.public.shop);
  });
});
