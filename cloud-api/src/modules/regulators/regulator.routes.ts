import { z } from 'zod';
import {
  ColleagueSchema,
  ObjectIdSchema,
  RegulatorAccountSchema,
  RegulatorAccountUpdateSchema,
  RegulatorBindRequestSchema,
  RegulatorBindResponseSchema,
  RegulatorInvitationSchema,
  RegulatorInviteInputSchema,
} from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import type { AppDeps } from '../../deps';
import { scopes } from './scopes';
import { bind, colleagues, invite, listAccounts, listInvitations, myAccount, updateAccount } from './regulator.service';

const REG = ['regulator'] as const;

export function regulatorRoutes(deps: AppDeps) {
  // Account administration is the city administrator's.
  const adminOnly = scopes(deps.db).admin;
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/bind',
      access: ['applicant'],
      summary: "Binds the caller (signed in to the regulators' app) with an invitation code; answers a new token",
      body: RegulatorBindRequestSchema,
      output: RegulatorBindResponseSchema,
      handler: ({ body, caller }) => bind(deps, caller.userId, body.code),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/me',
      access: REG,
      cityWide: true,
      summary: "The caller's account: role, jurisdiction, certificate",
      output: RegulatorAccountSchema,
      handler: ({ caller }) => myAccount(deps.db, caller.regulator!),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/colleagues',
      access: REG,
      cityWide: true,
      summary:
        'Inspectors (with a 执法证号) who share a district with the caller: the second inspector of an on-site inspection',
      output: z.array(ColleagueSchema),
      handler: ({ caller }) => colleagues(deps.db, caller.regulator!),
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/invitations',
      access: REG,
      status: 201,
      scope: adminOnly,
      summary: 'A city administrator invites a colleague: role, jurisdiction (districts, offices), 执法证号',
      body: RegulatorInviteInputSchema,
      output: RegulatorInvitationSchema,
      handler: ({ body, caller }) => invite(deps.db, caller.regulator!, body),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/invitations',
      access: REG,
      scope: adminOnly,
      summary: 'Invitations made (newest first), used or not',
      output: z.array(RegulatorInvitationSchema),
      handler: () => listInvitations(deps.db),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/regulator/accounts',
      access: REG,
      scope: adminOnly,
      summary: "The city's regulator accounts",
      output: z.array(RegulatorAccountSchema),
      handler: () => listAccounts(deps.db),
    }),
    defineRoute({
      method: 'PATCH',
      path: '/api/v1/regulator/accounts/:userId',
      access: REG,
      scope: adminOnly,
      summary: "A city administrator changes an account's jurisdiction or certificate, or ends it",
      params: z.object({ userId: ObjectIdSchema }).strict(),
      body: RegulatorAccountUpdateSchema,
      output: RegulatorAccountSchema,
      handler: ({ params, body, caller }) => updateAccount(deps.db, caller.regulator!, params.userId, body),
    }),
  ];
}
