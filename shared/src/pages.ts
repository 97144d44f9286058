/**
 * Every page of each mini-program, named once. The apps' app.config.ts build their page lists
 * from this table, the apps navigate with it, and the server takes from it the pages its
 * mini-program codes, subscribe messages and share paths open, so a page the server links to
 * is a page the built app.json lists (a contract test checks the built files).
 */
const PUBLIC_PAGES = {
  home: 'pages/index/index',
  shop: 'pages/shop/index',
  board: 'more/board/index',
  status: 'more/status/index',
  complaint: 'more/complaint/index',
  complaints: 'more/complaints/index',
  live: 'more/live/index',
  committee: 'more/committee/index',
} as const;

const OPERATOR_PAGES = {
  home: 'pages/index/index',
  daily: 'pages/daily/index',
  history: 'pages/history/index',
  record: 'more/record/index',
  weekly: 'more/weekly/index',
  monthly: 'more/monthly/index',
  team: 'more/team/index',
  checklist: 'more/checklist/index',
  reply: 'more/reply/index',
  status: 'more/status/index',
  cameras: 'more/cameras/index',
  notices: 'more/notices/index',
  notice: 'more/notice/index',
  case: 'more/case/index',
  committee: 'more/committee/index',
} as const;

const REGULATOR_PAGES = {
  home: 'pages/index/index',
  shops: 'pages/shops/index',
  complaints: 'pages/complaints/index',
  shop: 'more/shop/index',
  complaint: 'more/complaint/index',
  accounts: 'more/accounts/index',
  plans: 'more/plans/index',
  plan: 'more/plan/index',
  tasks: 'more/tasks/index',
  inspect: 'more/inspect/index',
  inspections: 'more/inspections/index',
  desk: 'more/desk/index',
  import: 'more/import/index',
} as const;

export const PAGES = { public: PUBLIC_PAGES, operator: OPERATOR_PAGES, regulator: REGULATOR_PAGES } as const;

export type PageApp = keyof typeof PAGES;
export type PageKey<A extends PageApp> = keyof (typeof PAGES)[A] & string;
export type PageQuery = Record<string, string | number | undefined>;

/** Pages under this root load on demand (a subpackage); the rest form the main package. */
export const SUBPACKAGE_ROOT = 'more';

function queryString(query: PageQuery | undefined): string {
  const parts = Object.entries(query ?? {})
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A page with its query as WeChat's server APIs take it: no leading slash ("pages/shop/index?id=…"). */
export function pagePath<A extends PageApp>(app: A, key: PageKey<A>, query?: PageQuery): string {
  return (PAGES[app] as Record<string, string>)[key] + queryString(query);
}

/** A page with its query as navigateTo / redirectTo take it (leading slash). */
export function pageUrl<A extends PageApp>(app: A, key: PageKey<A>, query?: PageQuery): string {
  return `/${pagePath(app, key, query)}`;
}

/**
 * A page's address in the H5 build, which routes by the hash: the app's web address (no hash) and
 * the page. What a diner copies on H5 to share a shop, where WeChat would offer its share menu.
 */
export function webPageLink<A extends PageApp>(appAddress: string, app: A, key: PageKey<A>, query?: PageQuery): string {
  return `${appAddress.split('#')[0]}#${pageUrl(app, key, query)}`;
}

/** The `pages` and `subPackages` of an app's app.config.ts; the home page comes first. */
export function appPageConfig(app: PageApp): { pages: string[]; subPackages: { root: string; pages: string[] }[] } {
  const all = Object.values(PAGES[app]) as string[];
  const prefix = `${SUBPACKAGE_ROOT}/`;
  const sub = all.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
  return {
    pages: all.filter((p) => !p.startsWith(prefix)),
    subPackages: sub.length ? [{ root: SUBPACKAGE_ROOT, pages: sub }] : [],
  };
}

/** Whether a page path (with or without a leading slash and a query) is one of the app's pages. */
export function isAppPage(app: PageApp, path: string): boolean {
  const bare = path.replace(/^\//, '').split('?')[0] ?? '';
  return (Object.values(PAGES[app]) as string[]).includes(bare);
}
