import type { AppDeps } from '../deps';
import type { RouteDef } from '../http/route';
import { authRoutes } from './auth/auth.routes';
import { healthRoutes } from './health/health.routes';

/** Every route of the API, in one table (the access tests walk it). */
export function allRoutes(deps: AppDeps): RouteDef[] {
  return [...healthRoutes(deps), ...authRoutes(deps)];
}
