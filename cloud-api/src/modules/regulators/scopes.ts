import type { Connection, Types } from 'mongoose';
import type { RegulatorRole } from '@ygsa/shared';
import { AppError } from '../../http/app-error';
import type { Caller } from '../../http/context';
import { districtOfShop } from '../establishments/shop-directory';
import { shopOfEnforcement } from '../enforcement/enforcement.facts';
import { shopOfCamera } from '../live/camera.facts';
import { placeOfComplaint } from '../complaints/complaint.facts';
import { requireComplaintScope, requireDistrict, requireRegulatorRole } from './jurisdiction';

/**
 * The `scope` of regulator routes: where the resource a request names lies, checked against the
 * caller's account before the handler runs (route.ts). Each names who may act (`roles`, default any
 * regulator) and how to find the resource's id in the request.
 */
type Input = { params: unknown; body: unknown; query: unknown; caller: Caller };
type Pick = (input: Input) => string;
const ANY: readonly RegulatorRole[] = ['city_admin', 'inspector', 'complaint_handler'];
/** Who works shops on site and their enforcement: inspectors and administrators. */
export const INSPECTORS: readonly RegulatorRole[] = ['city_admin', 'inspector'];
/** Who decides on complaints: complaint handlers and administrators. */
export const HANDLERS: readonly RegulatorRole[] = ['city_admin', 'complaint_handler'];

const param =
  (name: string): Pick =>
  (input) =>
    String((input.params as Record<string, unknown>)[name]);

async function requireShop(db: Connection, input: Input, shop: Types.ObjectId | string | null) {
  const scope = input.caller.regulator!;
  const district = shop ? await districtOfShop(db, shop) : null;
  if (district === null && !scope.jurisdiction.city) throw new AppError('NOT_FOUND', { message: '门店不存在' });
  requireDistrict(scope, district);
}

export function scopes(db: Connection) {
  const role = (input: Input, roles: readonly RegulatorRole[]) => requireRegulatorRole(input.caller.regulator!, roles);
  return {
    /** Only the city's administrators. */
    admin: (input: Input) => role(input, ['city_admin']),
    /** A shop named by a path parameter (`:id` unless told). */
    shop:
      (roles: readonly RegulatorRole[] = ANY, pick: Pick = param('id')) =>
      async (input: Input) => {
        role(input, roles);
        await requireShop(db, input, pick(input));
      },
    /** A place named in the body (a shop being created in a district). */
    district: (roles: readonly RegulatorRole[], pick: Pick) => (input: Input) => {
      role(input, roles);
      requireDistrict(input.caller.regulator!, pick(input));
    },
    /** A notice, a case or an AI box, by the shop it belongs to. */
    enforcement:
      (kind: 'notice' | 'case' | 'device', roles: readonly RegulatorRole[] = ANY, pick: Pick = param('id')) =>
      async (input: Input) => {
        role(input, roles);
        const shop = await shopOfEnforcement(db, kind, pick(input));
        if (!shop)
          throw new AppError('NOT_FOUND', {
            message: kind === 'notice' ? '整改通知不存在' : kind === 'case' ? '案件不存在' : '设备不存在',
          });
        await requireShop(db, input, shop);
      },
    /** A camera, by its shop. */
    camera:
      (roles: readonly RegulatorRole[] = ANY, pick: Pick = param('id')) =>
      async (input: Input) => {
        role(input, roles);
        const shop = await shopOfCamera(db, pick(input));
        if (!shop) throw new AppError('NOT_FOUND', { message: '摄像头不存在' });
        await requireShop(db, input, shop);
      },
    /** A complaint, by its office and district. */
    complaint:
      (roles: readonly RegulatorRole[] = ANY, pick: Pick = param('id')) =>
      async (input: Input) => {
        role(input, roles);
        const place = await placeOfComplaint(db, pick(input));
        if (!place) throw new AppError('NOT_FOUND', { message: '投诉举报不存在' });
        requireComplaintScope(input.caller.regulator!, place);
      },
  };
}
