import { MEMBER_ROLES, SUBMITTERS, type MemberRole, type SelfCheckKind } from './selfcheck.js';

/** How the app names each role when it says who files a record (short, as staff speak). */
export const DUTY_ROLE_NAMES: Record<MemberRole, string> = {
  owner: '店主',
  director: '总监',
  safety_officer: '安全员',
};

/**
 * Who stands in when none of a record's proper roles is in the shop: the next role that exists,
 * in this order. A small shop's owner is its own 安全员 (SAMR Order No. 60 lets the roles a shop
 * has cover the duties).
 */
const COVER_ORDER: readonly MemberRole[] = ['safety_officer', 'director', 'owner'];

export interface SelfCheckDuty {
  /** The roles that may file this record in this shop now (empty: nobody is bound yet). */
  roles: MemberRole[];
  /** True when a role stands in for absent proper ones (the owner filing 日管控 in a one-person shop). */
  covering: boolean;
  /** What the app shows: "由安全员或总监填报", "由店主填报", "待门店人员加入后填报". */
  label: string;
}

/**
 * Who files a self-check record, given the roles the shop's members hold. The proper roles
 * (`SUBMITTERS`) file when any of them is present, and only they; when none is, the first
 * present role in COVER_ORDER covers. Monthly minutes are always the owner's.
 */
export function selfCheckDuty(kind: SelfCheckKind, present: readonly MemberRole[]): SelfCheckDuty {
  const has = new Set(present.filter((r) => (MEMBER_ROLES as readonly string[]).includes(r)));
  const proper = SUBMITTERS[kind].filter((r) => has.has(r));
  let roles = proper;
  let covering = false;
  if (!proper.length && kind !== 'monthly') {
    const cover = COVER_ORDER.find((r) => has.has(r));
    if (cover) {
      roles = [cover];
      covering = true;
    }
  }
  const label = roles.length
    ? `由${roles.map((r) => DUTY_ROLE_NAMES[r]).join('或')}填报`
    : `待${SUBMITTERS[kind].map((r) => DUTY_ROLE_NAMES[r]).join('或')}加入后填报`;
  return { roles, covering, label };
}

/**
 * What a failed 日管控 item "handed up" is called for the one filing it: it appears on the
 * dashboards of the 总监 and the owner (the roles above the 安全员); the owner has nobody above,
 * so for the owner there is nothing to hand up (null).
 */
export function escalationLabel(filer: MemberRole): string | null {
  if (filer === 'owner') return null;
  return filer === 'safety_officer' ? '上报总监和店主' : '上报店主';
}
