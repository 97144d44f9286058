// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

/** Roles carried in a token. A person may hold several (a diner who is also a parent). */
/** `applicant`: signed in to the regulators' app, not yet bound to an account by an invitation. */
export const ROLES = ['diner', 'parent', 'operator', 'regulator', 'applicant'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  diner: '食客',
  parent: '家委会成员',
  operator: '经营者',
  regulator: '监管人员',
  applicant: '待绑定的监管人员',
};
