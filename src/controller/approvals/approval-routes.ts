/**
 * The approval API on the Aegis HTTP server, for the CLI (when AEGIS_URL is set) and other tools:
 *
 *   POST /api/v1/alerts/:namespace/:name/approve   {"by": "U123", "reason"?: "...", "groups"?: [...], "via"?: "cli"}
 *   POST /api/v1/alerts/:namespace/:name/reject    (same body)
 *   POST /api/v1/ops-requests                      {"template": {"namespace"?, "name"}, "parameters"?: {...},
 *                                                    "requestedBy": "U123", "reason"?: "..."}
 *
 * Every request needs `Authorization: Bearer <AEGIS_API_TOKEN>`; without a configured token the API is off
 * (403). The token holder is trusted to say who `by` is (as a Slack app is trusted with its users' ids), so
 * give it only to the CLI users and tools that may speak for approvers. Answers: 200/201 with the outcome;
 * 400 malformed body; 401 missing or wrong token; 403 not an approver, self-approval, or API off; 404 no such
 * alert; 409 not pending, already decided, or expired. Errors are `{"error": "...", "code"?: "..."}`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAegisError } from '../../core/errors.js';
import type { ApprovalOutcome, ApprovalService, ApprovalServiceRefusal } from './approval-service.js';
import { opsRequestErrorCodes } from './approval-service.js';

export interface ApprovalRoutesOptions {
  service: ApprovalService;
  /** Accepted bearer tokens (AEGIS_API_TOKEN; several during a rotation). Empty or unset: the API is off. */
  auth: { tokens?: readonly string[] | undefined };
  /** Path prefix (AEGIS_ROUTE_PREFIX), e.g. `/aegis`. */
  prefix?: string | undefined;
}

const decisionBody = z.strictObject({
  by: z.string().trim().min(1).max(256),
  reason: z.string().max(2_048).optional(),
  groups: z.array(z.string().min(1).max(256)).max(256).optional(),
  via: z.enum(['cli', 'api']).optional(),
});

const opsRequestBody = z.strictObject({
  template: z.strictObject({ namespace: z.string().min(1).optional(), name: z.string().min(1) }),
  parameters: z.record(z.string(), z.string()).optional(),
  requestedBy: z.string().trim().min(1).max(256),
  reason: z.string().max(2_048).optional(),
});

const refusalStatus: Record<ApprovalServiceRefusal, number> = {
  NotFound: 404,
  NotApprover: 403,
  SelfApproval: 403,
  AlreadyDecided: 409,
  Expired: 409,
  NotPending: 409,
};

type Params = { namespace: string; name: string };

export function registerApprovalRoutes(app: FastifyInstance, options: ApprovalRoutesOptions): void {
  const tokens = (options.auth.tokens ?? []).filter((token) => token !== '').map(digest);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');

  const authorised = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    if (tokens.length === 0) {
      await reply
        .code(403)
        .send({ error: 'the approval API is off: set AEGIS_API_TOKEN on the Aegis server' });
      return false;
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    const given = match?.[1];
    if (given === undefined || !tokens.some((token) => timingSafeEqual(token, digest(given)))) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="aegis-api"')
        .send({
          error: given === undefined ? 'send Authorization: Bearer <AEGIS_API_TOKEN>' : 'wrong bearer token',
        });
      return false;
    }
    return true;
  };

  const decision =
    (kind: 'approve' | 'reject') =>
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      if (!(await authorised(request, reply))) return reply;
      const body = decisionBody.safeParse(request.body ?? {});
      if (!body.success) return await reply.code(400).send({ error: describeZodError(body.error) });
      const { namespace, name } = request.params;
      const actor =
        body.data.groups === undefined
          ? { id: body.data.by }
          : { id: body.data.by, groups: body.data.groups };
      const via = body.data.via ?? 'api';
      const outcome =
        kind === 'approve'
          ? await options.service.approve({ namespace, name }, actor, via, body.data.reason)
          : await options.service.reject({ namespace, name }, actor, via, body.data.reason);
      return await reply
        .code(outcome.ok ? 200 : refusalStatus[outcome.code])
        .send(describeOutcome(namespace, name, outcome));
    };

  app.post(`${prefix}/api/v1/alerts/:namespace/:name/approve`, decision('approve'));
  app.post(`${prefix}/api/v1/alerts/:namespace/:name/reject`, decision('reject'));

  app.post(`${prefix}/api/v1/ops-requests`, async (request, reply) => {
    if (!(await authorised(request, reply))) return reply;
    const body = opsRequestBody.safeParse(request.body ?? {});
    if (!body.success) return await reply.code(400).send({ error: describeZodError(body.error) });
    try {
      const created = await options.service.createOpsRequest(body.data);
      return await reply.code(201).send({ ...created, state: 'AwaitingApproval' });
    } catch (error) {
      if (isAegisError(error) && error.code === opsRequestErrorCodes.invalid)
        return await reply.code(400).send({ error: error.userMessage ?? error.message, code: error.code });
      throw error;
    }
  });
}

function describeOutcome(namespace: string, name: string, outcome: ApprovalOutcome): Record<string, unknown> {
  if (!outcome.ok) return { error: outcome.message, code: outcome.code };
  const approval = outcome.approval;
  return {
    alert: { namespace, name },
    state: approval.state,
    changed: outcome.changed,
    approvals: new Set(
      (approval.history ?? []).filter((entry) => entry.decision === 'Approved').map((entry) => entry.by),
    ).size,
    minApprovals: approval.minApprovals ?? 1,
    history: approval.history ?? [],
  };
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length === 0 ? 'body' : issue.path.join('.')}: ${issue.message}`)
    .join('; ');
}

/** Tokens are compared as sha256 digests: equal length, so timingSafeEqual never leaks the length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
