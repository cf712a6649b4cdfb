/**
 * The approval API on the Aegis HTTP server, for the CLI (when AEGIS_URL is set) and other tools:
 *
 *   POST /api/v1/alerts/:namespace/:name/approve   {"by"?: "U123", "reason"?: "...", "via"?: "cli"}
 *   POST /api/v1/alerts/:namespace/:name/reject    (same body)
 *   POST /api/v1/ops-requests                      {"template": {"namespace"?, "name"}, "parameters"?: {...},
 *                                                    "requestedBy"?: "U123", "reason"?: "..."}
 *
 * Every request needs `Authorization: Bearer <token>` with a token of AEGIS_API_TOKEN; without one configured
 * the API is off (403). A token may be bound to an identity (`U0123:token1,U0456:token2`): then `by` and
 * `requestedBy` default to it and must equal it. An unbound token's `by` is a claim, but every decision records
 * the credential it came with, and one credential counts as one approver whatever `by` says. Groups are never
 * taken from the request: the approval service resolves them (a `groups` field is refused). Answers: 200/201
 * with the outcome; 400 malformed body; 401 missing or wrong token; 403 not an approver, self-approval, another
 * identity than the token's, a credential that already approved, or API off; 404 no such alert; 409 not
 * pending, already decided, or expired. Errors are `{"error": "...", "code"?: "..."}`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { approvingUsers } from '../../core/approvals/index.js';
import { isAegisError } from '../../core/errors.js';
import type { ApprovalOutcome, ApprovalService, ApprovalServiceRefusal } from './approval-service.js';
import { opsRequestErrorCodes } from './approval-service.js';

export interface ApprovalRoutesOptions {
  service: ApprovalService;
  /**
   * Accepted bearer tokens (AEGIS_API_TOKEN): `token` or `identity:token` (bound to that identity); several for
   * several people or a rotation. Empty or unset: the API is off.
   */
  auth: { tokens?: readonly string[] | undefined };
  /** Path prefix (AEGIS_ROUTE_PREFIX), e.g. `/aegis`. */
  prefix?: string | undefined;
}

const decisionBody = z.strictObject({
  by: z.string().trim().min(1).max(256).optional(),
  reason: z.string().max(2_048).optional(),
  via: z.enum(['cli', 'api']).optional(),
});

const opsRequestBody = z.strictObject({
  template: z.strictObject({ namespace: z.string().min(1).optional(), name: z.string().min(1) }),
  parameters: z.record(z.string(), z.string()).optional(),
  requestedBy: z.string().trim().min(1).max(256).optional(),
  reason: z.string().max(2_048).optional(),
});

/** One accepted token: its digest, the identity it is bound to (if any), and the credential decisions record. */
interface ApiCredential {
  digest: Buffer;
  identity?: string;
  credential: string;
}

/** `identity:token` binds the token to the identity; a bare `token` is unbound. */
export function parseApiTokens(entries: readonly string[]): ApiCredential[] {
  const credentials: ApiCredential[] = [];
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const identity = colon > 0 ? entry.slice(0, colon).trim() : undefined;
    const token = colon > 0 ? entry.slice(colon + 1) : entry;
    if (token === '') continue;
    const tokenDigest = digest(token);
    credentials.push(
      identity === undefined || identity === ''
        ? { digest: tokenDigest, credential: `token:sha256:${tokenDigest.toString('hex').slice(0, 12)}` }
        : { digest: tokenDigest, identity, credential: `token:${identity}` },
    );
  }
  return credentials;
}

const refusalStatus: Record<ApprovalServiceRefusal, number> = {
  NotFound: 404,
  NotApprover: 403,
  SelfApproval: 403,
  AlreadyDecided: 409,
  Expired: 409,
  NotPending: 409,
  SameCredential: 403,
};

type Params = { namespace: string; name: string };

export function registerApprovalRoutes(app: FastifyInstance, options: ApprovalRoutesOptions): void {
  const tokens = parseApiTokens(options.auth.tokens ?? []);
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');

  const authorised = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<ApiCredential | undefined> => {
    if (tokens.length === 0) {
      await reply
        .code(403)
        .send({ error: 'the approval API is off: set AEGIS_API_TOKEN on the Aegis server' });
      return undefined;
    }
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '');
    const given = match?.[1];
    const givenDigest = given === undefined ? undefined : digest(given);
    const found =
      givenDigest === undefined
        ? undefined
        : tokens.find((token) => timingSafeEqual(token.digest, givenDigest));
    if (found === undefined) {
      await reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="aegis-api"')
        .send({
          error: given === undefined ? 'send Authorization: Bearer <AEGIS_API_TOKEN>' : 'wrong bearer token',
        });
    }
    return found;
  };

  /** Who speaks: the token's identity, or (unbound) what the body claims; undefined after a refusal. */
  const speaker = async (
    credential: ApiCredential,
    claimed: string | undefined,
    field: string,
    reply: FastifyReply,
  ): Promise<string | undefined> => {
    if (credential.identity !== undefined && claimed !== undefined && claimed !== credential.identity) {
      await reply.code(403).send({
        error: `this token is bound to ${credential.identity}; ${field} (--as) must be ${credential.identity}, not ${claimed}`,
        code: 'WrongIdentity',
      });
      return undefined;
    }
    const who = credential.identity ?? claimed;
    if (who === undefined) {
      await reply
        .code(400)
        .send({ error: `body.${field}: required (the token is not bound to an identity)` });
      return undefined;
    }
    return who;
  };

  const decision =
    (kind: 'approve' | 'reject') =>
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      const credential = await authorised(request, reply);
      if (credential === undefined) return reply;
      if (hasField(request.body, 'groups')) {
        return await reply.code(400).send({
          error:
            'body.groups: groups are resolved on the server, never taken from the request; leave groups out',
        });
      }
      const body = decisionBody.safeParse(request.body ?? {});
      if (!body.success) return await reply.code(400).send({ error: describeZodError(body.error) });
      const who = await speaker(credential, body.data.by, 'by', reply);
      if (who === undefined) return reply;
      const { namespace, name } = request.params;
      const actor = { id: who, credential: credential.credential };
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
    const credential = await authorised(request, reply);
    if (credential === undefined) return reply;
    const body = opsRequestBody.safeParse(request.body ?? {});
    if (!body.success) return await reply.code(400).send({ error: describeZodError(body.error) });
    const requestedBy = await speaker(credential, body.data.requestedBy, 'requestedBy', reply);
    if (requestedBy === undefined) return reply;
    try {
      const created = await options.service.createOpsRequest({ ...body.data, requestedBy });
      return await reply.code(201).send({ ...created, state: 'AwaitingApproval' });
    } catch (error) {
      if (isAegisError(error) && error.code === opsRequestErrorCodes.invalid)
        return await reply.code(400).send({ error: error.userMessage ?? error.message, code: error.code });
      throw error;
    }
  });
}

function hasField(body: unknown, field: string): boolean {
  return typeof body === 'object' && body !== null && Object.hasOwn(body, field);
}

function describeOutcome(namespace: string, name: string, outcome: ApprovalOutcome): Record<string, unknown> {
  if (!outcome.ok) return { error: outcome.message, code: outcome.code };
  const approval = outcome.approval;
  return {
    alert: { namespace, name },
    state: approval.state,
    changed: outcome.changed,
    approvals: approvingUsers(approval.history ?? []).length,
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
