import type { Jurisdiction, RegulatorRole } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import type { RegulatorScope } from '../../http/context';

/**
 * Where a regulator may act, as pure rules: a city administrator anywhere; others on the shops of
 * their districts, and on complaints handled by their offices or about places in their districts.
 */
export function coversDistrict(j: Jurisdiction, district: string | null | undefined): boolean {
  return j.city || (!!district && j.districts.includes(district));
}

export function coversComplaint(j: Jurisdiction, c: { office: string; district: string | null }): boolean {
  return j.city || j.offices.includes(c.office) || coversDistrict(j, c.district);
}

const OUTSIDE = '不在您的辖区范围内';

/** Refuses a resource outside the caller's jurisdiction (answered as not found elsewhere: 403 here). */
export function requireDistrict(scope: RegulatorScope, district: string | null | undefined): void {
  if (!coversDistrict(scope.jurisdiction, district)) throw new AppError('FORBIDDEN', { message: OUTSIDE });
}

export function requireComplaintScope(scope: RegulatorScope, c: { office: string; district: string | null }): void {
  if (!coversComplaint(scope.jurisdiction, c)) throw new AppError('FORBIDDEN', { message: OUTSIDE });
}

/** Refuses an action the caller's role does not take (a complaint handler does not inspect). */
export function requireRegulatorRole(scope: RegulatorScope, roles: readonly RegulatorRole[]): void {
  if (!roles.includes(scope.role)) throw new AppError('FORBIDDEN', { message: '您的账号角色不能进行此操作' });
}
