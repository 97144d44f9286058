import { defineRoute } from '../../http/route';
import type { AppDeps } from '../../deps';
import { checkHealth } from './health.service';

export function healthRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'GET',
      path: '/healthz',
      access: 'public',
      summary: 'API and database health; 503 when the database does not answer',
      async handler({ ctx }) {
        const health = await checkHealth(deps.db, deps.version);
        ctx.set('Cache-Control', 'no-store');
        if (health.database.status !== 'ok') {
          ctx.state.log.warn({ database: health.database }, 'database unhealthy');
          ctx.status = 503;
        }
        return health;
      },
    }),
  ];
}
