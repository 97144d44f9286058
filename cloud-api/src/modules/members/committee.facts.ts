import type { Connection, Types } from 'mongoose';
import { committeeModel } from './committee.model';

/** Read-only facts about parents' committees, for other modules (live). Imports only its model. */

/** Whether the user is an active (not revoked) member of the school's parents' committee. */
export async function isCommitteeMember(db: Connection, establishmentId: Types.ObjectId, userId: string) {
  return !!(await committeeModel(db).exists({ establishmentId, userId, revokedAt: null }));
}
