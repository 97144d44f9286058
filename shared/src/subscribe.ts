import { chinaDate, chinaDateTime, formatChineseDate } from './dates.js';
import { pagePath, type PageApp, type PageKey, type PageQuery } from './pages.js';

/**
 * WeChat subscribe messages, one entry per kind the product sends: which mini-program it belongs
 * to, the template's keywords (as chosen in that app's console), the pages it may open, and the
 * environment variable holding its template id. The server sends only through this table, the apps
 * ask consent for the same template ids, and the values are shaped here to WeChat's rules so that
 * WeChat never refuses a message for its content (47003).
 */

/** Keyword types of WeChat's template library and their value rules (订阅消息参数值内容限制说明). */
export type TemplateKeyType =
  | 'thing'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'character_string'
  | 'time'
  | 'date'
  | 'amount'
  | 'phone_number'
  | 'name'
  | 'phrase';

interface FieldSpec {
  /** The template's keyword, e.g. "thing1" (its type is the part before the digits). */
  key: string;
  /** Shown when the value would be empty: WeChat refuses an empty value. */
  fallback: string;
}

interface KindSpec<A extends PageApp> {
  app: A;
  /** What the template is called in WeChat's library, for the console checklist. */
  title: string;
  /** The environment variable of its template id (the API and the app builds read the same one). */
  env: string;
  /** Template id of the development WeChat stand-in. */
  devTemplateId: string;
  pages: readonly PageKey<A>[];
  fields: Record<string, FieldSpec>;
}

function kind<A extends PageApp>(spec: KindSpec<A>): KindSpec<A> {
  return spec;
}

export const SUBSCRIBE_MESSAGES = {
  /** The filer of a 投诉 or a real-name 举报: its status changed. */
  complaintStatus: kind({
    app: 'public',
    title: '投诉处理进度通知',
    env: 'SUBSCRIBE_TEMPLATE_COMPLAINT_STATUS',
    devTemplateId: 'dev-complaint-status',
    pages: ['complaints'],
    fields: {
      number: { key: 'character_string1', fallback: '-' },
      status: { key: 'phrase2', fallback: '已更新' },
      shop: { key: 'thing3', fallback: '餐饮门店' },
      at: { key: 'time4', fallback: '' },
      note: { key: 'thing5', fallback: '详情请在小程序中查看' },
    },
  }),
  /** 安全员/总监: today's 日管控 is missing. */
  selfCheckReminder: kind({
    app: 'operator',
    title: '待办事项提醒',
    env: 'SUBSCRIBE_TEMPLATE_SELF_CHECK',
    devTemplateId: 'dev-self-check-reminder',
    pages: ['daily'],
    fields: {
      shop: { key: 'thing1', fallback: '门店' },
      task: { key: 'thing2', fallback: '今日日管控尚未填报' },
      due: { key: 'date3', fallback: '' },
    },
  }),
  /** Staff: an AI reminder or a rectification notice; the owner: a case document to sign. */
  enforcementNotice: kind({
    app: 'operator',
    title: '整改通知',
    env: 'SUBSCRIBE_TEMPLATE_ENFORCEMENT',
    devTemplateId: 'dev-enforcement-notice',
    pages: ['notices', 'notice', 'case'],
    fields: {
      shop: { key: 'thing1', fallback: '门店' },
      matter: { key: 'thing2', fallback: '整改事项' },
      requirement: { key: 'thing3', fallback: '请在小程序中查看' },
      at: { key: 'time4', fallback: '' },
    },
  }),
  /** Staff: a kitchen camera went offline during opening hours. */
  cameraAlert: kind({
    app: 'operator',
    title: '设备离线提醒',
    env: 'SUBSCRIBE_TEMPLATE_CAMERA_ALERT',
    devTemplateId: 'dev-camera-alert',
    pages: ['cameras'],
    fields: {
      shop: { key: 'thing1', fallback: '门店' },
      device: { key: 'thing2', fallback: '摄像头' },
      advice: { key: 'thing3', fallback: '请检查设备' },
      since: { key: 'time4', fallback: '' },
    },
  }),
} as const;

export type MessageKind = keyof typeof SUBSCRIBE_MESSAGES;
type Spec<K extends MessageKind> = (typeof SUBSCRIBE_MESSAGES)[K];
export type MessageApp<K extends MessageKind> = Spec<K>['app'];
export type MessageValues<K extends MessageKind> = Record<keyof Spec<K>['fields'], string | Date>;
export type MessagePage<K extends MessageKind> = Spec<K>['pages'][number];

export const MESSAGE_KINDS = Object.keys(SUBSCRIBE_MESSAGES) as MessageKind[];

/** The kinds of one mini-program, in table order (the order its consent request lists them). */
export function messageKindsOf(app: PageApp): MessageKind[] {
  return MESSAGE_KINDS.filter((k) => SUBSCRIBE_MESSAGES[k].app === app);
}

export function keyTypeOf(key: string): TemplateKeyType {
  const t = key.replace(/\d+$/, '');
  return t as TemplateKeyType;
}

const HAN = /\p{Script=Han}/u;
const chars = (s: string) => Array.from(s);
const clip = (s: string, max: number) => {
  const c = chars(s);
  return c.length <= max ? s : c.slice(0, max - 1).join('') + '…';
};
// WeChat refuses line breaks and emoji in keyword values; runs of spaces are one space.
const asText = (v: string | Date) =>
  (v instanceof Date ? chinaDateTime(v) : v)
    .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/** A value shaped to a keyword type's rule (length, characters, format); '' when nothing fits. */
export function shapeValue(type: TemplateKeyType, value: string | Date): string {
  const s = asText(value);
  switch (type) {
    case 'thing':
      return clip(s, 20);
    case 'phrase':
      // At most five Chinese characters, nothing else.
      return chars(s)
        .filter((c) => HAN.test(c))
        .slice(0, 5)
        .join('');
    case 'character_string':
      return s.replace(/[^\x21-\x7e]/g, '').slice(0, 32);
    case 'number': {
      const m = /\d+(\.\d+)?/.exec(s);
      return m ? m[0].slice(0, 32) : '';
    }
    case 'letter':
      return s.replace(/[^A-Za-z]/g, '').slice(0, 32);
    case 'symbol':
      return s.replace(/[\p{L}\p{N}\s]/gu, '').slice(0, 5);
    case 'phone_number':
      return s.replace(/[^\d+\-()]/g, '').slice(0, 17);
    case 'amount': {
      const m = /\d{1,10}(\.\d{1,2})?/.exec(s);
      return m ? `¥${m[0]}` : '';
    }
    case 'name': {
      const han = chars(s).filter((c) => HAN.test(c));
      return han.length ? han.slice(0, 10).join('') : s.replace(/[^A-Za-z .'-]/g, '').slice(0, 20);
    }
    case 'date':
      if (value instanceof Date) return formatChineseDate(chinaDate(value));
      return /^\d{4}-\d{2}-\d{2}$/.test(s) ? formatChineseDate(s) : '';
    case 'time': {
      if (value instanceof Date) return chinaDateTime(value);
      return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/.test(s) ? s.replace('T', ' ') : '';
    }
  }
}

export interface OutgoingMessage<K extends MessageKind = MessageKind> {
  kind: K;
  app: MessageApp<K>;
  page: string;
  data: Record<string, { value: string }>;
}

/**
 * A message ready for subscribeMessage.send (but for touser, template_id and miniprogram_state):
 * the page from the page table, every keyword present and shaped to its rule.
 */
export function buildMessage<K extends MessageKind>(
  kind: K,
  values: MessageValues<K>,
  page: MessagePage<K>,
  query?: PageQuery,
  now: Date = new Date(),
): OutgoingMessage<K> {
  const spec = SUBSCRIBE_MESSAGES[kind] as KindSpec<PageApp>;
  const data: Record<string, { value: string }> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    const type = keyTypeOf(field.key);
    const raw = (values as Record<string, string | Date | undefined>)[name];
    let value = raw === undefined ? '' : shapeValue(type, raw);
    if (!value) value = field.fallback ? shapeValue(type, field.fallback) : shapeValue(type, now);
    data[field.key] = { value };
  }
  return {
    kind,
    app: spec.app as MessageApp<K>,
    page: pagePath(spec.app, page as PageKey<PageApp>, query),
    data,
  };
}

/** Each kind's template id from an environment (its variable, else the development stand-in's id). */
export function templateIdsFrom(
  env: Record<string, string | undefined>,
  app?: PageApp,
): Partial<Record<MessageKind, string>> {
  const out: Partial<Record<MessageKind, string>> = {};
  for (const k of app ? messageKindsOf(app) : MESSAGE_KINDS) {
    const spec = SUBSCRIBE_MESSAGES[k];
    out[k] = env[spec.env] || spec.devTemplateId;
  }
  return out;
}

/** WeChat lets one requestSubscribeMessage call ask for this many templates (3 in the older rule, 5 now). */
export const MAX_TEMPLATES_PER_REQUEST = 3;

/**
 * Which kinds a wx.requestSubscribeMessage answer accepted ({ [templateId]: 'accept' | 'reject' |
 * 'ban' | 'filter', errMsg }).
 */
export function acceptedKinds(
  answer: Record<string, unknown> | null | undefined,
  ids: Partial<Record<MessageKind, string>>,
): MessageKind[] {
  if (!answer) return [];
  return (Object.keys(ids) as MessageKind[]).filter((k) => {
    const id = ids[k];
    return !!id && answer[id] === 'accept';
  });
}

/**
 * An app's consent request for its messages: asks WeChat (through `request`, which is
 * wx.requestSubscribeMessage or its H5 stand-in) for the kinds given, at most as many as one call
 * allows, and resolves with the kinds accepted. It must run first in a tap handler, as WeChat asks
 * consent only inside a tap; declining or an old base library leaves the app working without messages.
 */
export function createConsentAsker(
  app: PageApp,
  templateIds: Partial<Record<MessageKind, string>>,
  request: (tmplIds: string[], titles: string[]) => Promise<Record<string, unknown>>,
) {
  return async (kinds: MessageKind[] = messageKindsOf(app)): Promise<MessageKind[]> => {
    const ids: Partial<Record<MessageKind, string>> = {};
    for (const k of kinds.filter((k) => SUBSCRIBE_MESSAGES[k].app === app).slice(0, MAX_TEMPLATES_PER_REQUEST)) {
      if (templateIds[k]) ids[k] = templateIds[k];
    }
    const chosen = Object.keys(ids) as MessageKind[];
    if (!chosen.length) return [];
    try {
      const answer = await request(
        chosen.map((k) => ids[k] as string),
        chosen.map((k) => SUBSCRIBE_MESSAGES[k].title),
      );
      return acceptedKinds(answer, ids);
    } catch {
      return [];
    }
  };
}
