import type { ParameterizedContext } from 'koa';
import type { Jurisdiction, RegulatorRole, Role } from '@ygsa/shared';
import type { Logger } from '../logger';

/** A regulator's account as it stands now: what they may do, and where. */
export interface RegulatorScope {
  userId: string;
  name: string;
  role: RegulatorRole;
  jurisdiction: Jurisdiction;
}

/** Who is calling, as proven by a verified token. */
export interface Caller {
  userId: string;
  roles: Role[];
  /** On regulator routes: the caller's active account (read on every request, so a change counts at once). */
  regulator?: RegulatorScope;
}

export interface AppState {
  requestId: string;
  log: Logger;
  caller?: Caller;
}

export type AppContext = ParameterizedContext<AppState>;
