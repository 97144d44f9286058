import { z } from 'zod';
import { zhCN } from 'zod/locales';

/**
 * What each input field is called in the apps, so that a refusal names the field in words a user
 * knows ("姓名至少 2 个字"), the same sentence from the API and on both apps' screens. Fields a
 * schema gives its own message keep it; a field missing here is called 该项.
 */
export const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '手机号',
  address: '通讯地址',
  request: '诉求',
  description: '事情经过',
  category: '问题类别',
  type: '类型',
  photos: '照片',
  location: '位置',
  establishmentId: '门店',
  code: '邀请码',
  grade: '年级班级',
  note: '备注',
  notes: '备注',
  reason: '理由',
  result: '处理结果',
  statement: '陈述申辩意见',
  text: '内容',
  method: '检查方法',
  basis: '依据',
  requirement: '整改要求',
  deadline: '期限',
  date: '日期',
  period: '期间',
  dueDate: '完成期限',
  owner: '负责人',
  summary: '总结',
  review: '本月回顾',
  plan: '下月计划',
  attendees: '参会人员',
  action: '处理措施',
  items: '检查项目',
  role: '角色',
  maxUses: '可用次数',
  expiresInDays: '有效天数',
  idempotencyKey: '请求编号',
  signature: '签名',
  documentSha256: '文书摘要',
  decision: '意见',
  statementPhotos: '证据照片',
  licence: '许可证',
  number: '编号',
  validFrom: '有效期起',
  validTo: '有效期至',
  district: '辖区',
  openingHours: '营业时间',
  q: '关键词',
  zone: '区域',
};

/** The word for the field an issue is about: its last named path segment. */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string {
  const key = [...(path ?? [])].reverse().find((p): p is string => typeof p === 'string');
  return (key && FIELD_LABELS[key]) || '该项';
}

type Issue = {
  code?: string;
  path?: PropertyKey[];
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  input?: unknown;
  keys?: string[];
};

/** Sentences for the issues users meet; anything rarer falls through to zod's Chinese locale. */
function fieldMessage(iss: Issue): string | undefined {
  const field = fieldLabel(iss.path);
  const n = (v: unknown) => Number(v);
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined || iss.input === null ? `请填写${field}` : `${field}格式不正确`;
    case 'too_small':
      if (iss.origin === 'string')
        return n(iss.minimum) <= 1 ? `请填写${field}` : `${field}至少 ${n(iss.minimum)} 个字`;
      if (iss.origin === 'array') return `${field}至少 ${n(iss.minimum)} 项`;
      return `${field}不能小于 ${n(iss.minimum)}`;
    case 'too_big':
      if (iss.origin === 'string') return `${field}不超过 ${n(iss.maximum)} 个字`;
      if (iss.origin === 'array') return `${field}最多 ${n(iss.maximum)} 项`;
      return `${field}不能大于 ${n(iss.maximum)}`;
    case 'invalid_format':
      return `${field}格式不正确`;
    case 'invalid_value':
      return `请选择有效的${field}`;
    case 'unrecognized_keys':
      return `不认识的内容：${(iss.keys ?? []).join('、')}`;
    case 'invalid_union':
      return `${field}格式不正确`;
    default:
      return undefined;
  }
}

// WeChat's JS engine forbids `new Function`; zod 4 would otherwise probe for it and compile
// object parsers with it. Messages are Chinese sentences naming the field, since they reach users
// as error details. Only the zh-CN locale is imported, so bundles carry no other language.
// Every module of this package imports zod from here so this runs first.
z.config({ jitless: true, ...zhCN(), customError: (iss) => fieldMessage(iss as Issue) });

export { z };
