import type { ParameterizedContext } from 'koa';
import type { Role } from '@ygsa/shared';
import type { Logger } from '../logger';

/** Who is calling, as proven by a verified token. */
export interface Caller {
  userId: string;
  roles: Role[];
}

export interface AppState {
  requestId: string;
  log: Logger;
  caller?: Caller;
}

export type AppContext = ParameterizedContext<AppState>;
