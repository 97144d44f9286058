import type { AppDeps } from '../deps';
import type { RouteDef } from '../http/route';
import { authRoutes } from './auth/auth.routes';
import { complaintRoutes } from './complaints/complaint.routes';
import { enforcementRoutes } from './enforcement/enforcement.routes';
import { liveRoutes } from './live/live.routes';
import { establishmentRoutes } from './establishments/establishment.routes';
import { healthRoutes } from './health/health.routes';
import { publicRoutes } from './public/public.routes';
import { memberRoutes } from './members/member.routes';
import { moderationRoutes } from './moderation/moderation.routes';
import { qrRoutes } from './qr/qr.routes';
import { selfCheckRoutes } from './selfchecks/selfcheck.routes';
import { uploadRoutes } from './uploads/upload.routes';
import { regulatorRoutes } from './regulators/regulator.routes';
import { planRoutes } from './plans/plan.routes';
import { onsiteRoutes } from './onsite/onsite.routes';

/** Every route of the API, in one table (the access tests walk it). */
export function allRoutes(deps: AppDeps): RouteDef[] {
  return [
    ...healthRoutes(deps),
    ...authRoutes(deps),
    ...publicRoutes(deps),
    ...establishmentRoutes(deps),
    ...qrRoutes(deps),
    ...uploadRoutes(deps),
    ...memberRoutes(deps),
    ...selfCheckRoutes(deps),
    ...complaintRoutes(deps),
    ...liveRoutes(deps),
    ...enforcementRoutes(deps),
    ...moderationRoutes(deps),
    ...regulatorRoutes(deps),
    ...planRoutes(deps),
    ...onsiteRoutes(deps),
  ];
}
