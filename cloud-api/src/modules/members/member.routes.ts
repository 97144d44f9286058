import { z } from 'zod';
import { BindRequestSchema, InvitationInputSchema, ObjectIdSchema } from '@ygsa/shared';
import { defineRoute } from '../../http/route';
import { INSPECTORS, scopes } from '../regulators/scopes';
import { AppError } from '../../http/app-error';
import type { AppDeps } from '../../deps';
import {
  bindWithCode,
  createInvitation,
  listInvitations,
  myShops,
  removeMember,
  requireRole,
  revokeInvitation,
  teamOf,
} from './member.service';

const IdParams = z.object({ id: ObjectIdSchema }).strict();
const OPERATOR = ['operator'] as const;

export function memberRoutes(deps: AppDeps) {
  const scope = scopes(deps.db);
  const g = { db: deps.db, grading: deps.config.grading, risk: deps.config.risk };
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/regulator/establishments/:id/invitations',
      access: ['regulator'],
      scope: scope.shop(INSPECTORS),
      status: 201,
      summary: "Invitation code for the shop's owner (主要负责人)",
      params: IdParams,
      body: InvitationInputSchema,
      handler({ params, body, caller }) {
        if (body.role !== 'owner')
          throw new AppError('VALIDATION_FAILED', {
            details: [{ path: 'body.role', message: '监管人员只发放主要负责人邀请码' }],
          });
        return createInvitation(deps.db, params.id, body, caller.userId);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/bind',
      access: OPERATOR,
      // Invitation codes must not be guessed by brute force.
      limit: 'publicWrite',
      summary: 'Bind the signed-in operator to a shop with an invitation code',
      body: BindRequestSchema,
      handler: ({ body, caller }) => bindWithCode(deps.db, body.code, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops',
      access: OPERATOR,
      summary: 'The shops the operator works in, with role and grade',
      handler: ({ caller }) => myShops(g, caller.userId),
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/members',
      access: OPERATOR,
      summary: "The shop's team with roles and since when (owner and 总监)",
      params: IdParams,
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner', 'director']);
        return teamOf(deps.db, params.id, caller.userId);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/operator/shops/:id/members/:userId',
      access: OPERATOR,
      summary: 'The owner removes a staff member; their access ends with their next request',
      params: z.object({ id: ObjectIdSchema, userId: ObjectIdSchema }).strict(),
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        return removeMember(deps.db, params.id, params.userId, caller.userId);
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/operator/shops/:id/invitations',
      access: OPERATOR,
      status: 201,
      summary: 'The owner invites staff (总监, 安全员)',
      params: IdParams,
      body: InvitationInputSchema,
      async handler({ params, body, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        if (body.role === 'owner')
          throw new AppError('VALIDATION_FAILED', {
            details: [{ path: 'body.role', message: '主要负责人邀请码由监管部门发放' }],
          });
        return createInvitation(deps.db, params.id, body, caller.userId);
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/operator/shops/:id/invitations',
      access: OPERATOR,
      summary: "The owner's invitation codes",
      params: IdParams,
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        return listInvitations(deps.db, params.id, caller.userId);
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api/v1/operator/shops/:id/invitations/:code',
      access: OPERATOR,
      summary: 'Revoke an invitation code',
      params: z.object({ id: ObjectIdSchema, code: z.string().regex(/^[A-Z2-9]{8}$/) }).strict(),
      async handler({ params, caller }) {
        await requireRole(deps.db, params.id, caller.userId, ['owner']);
        await revokeInvitation(deps.db, params.id, params.code);
      },
    }),
  ];
}
