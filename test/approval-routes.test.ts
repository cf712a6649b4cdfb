/**
 * The approval HTTP API (fastify, bearer tokens, optionally bound to identities) and the `aegis approve|reject`
 * command, which always goes through it. The stores are in memory, with resourceVersion preconditions like the
 * API server's: alerts (the people's mirror) and Workflows (the suspended one holds the request's record).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runApprovalCommand } from '../src/cli/approval-commands.js';
import { createProgram, type ApprovalFlags, type CommandHandlers } from '../src/cli/program.js';
import {
  newPendingApproval,
  opsRequestApprovalPolicy,
  parseApprovalRecord,
  serialiseApprovalRecord,
  type ApprovalRecord,
} from '../src/core/approvals/index.js';
import {
  alertReconcilerErrorCodes,
  workflowAnnotations,
  workflowNameFor,
  type WorkflowObject,
  type WorkflowStore,
} from '../src/controller/alerts/index.js';
import { AegisError } from '../src/core/errors.js';
import type { AegisAlert, AlertApproval } from '../src/core/resources/index.js';
import {
  createApprovalService,
  registerApprovalRoutes,
  type ApprovalAlertStore,
  type ApprovalService,
} from '../src/controller/approvals/index.js';
import { alertStoreErrorCodes } from '../src/controller/ingest/index.js';

const namespace = 'monitoring';
const token = 'test-token-1';

function memoryStore(): ApprovalAlertStore & { objects: Map<string, AegisAlert> } {
  const objects = new Map<string, AegisAlert>();
  let version = 1;
  let generated = 0;
  return {
    objects,
    get(ns, name) {
      const found = objects.get(`${ns}/${name}`);
      return Promise.resolve(found === undefined ? undefined : structuredClone(found));
    },
    create(object) {
      generated += 1;
      const name = `${object.metadata.generateName}${String(generated).padStart(5, '0')}`;
      const stored = structuredClone({
        ...object,
        metadata: { ...object.metadata, name, resourceVersion: String((version += 1)) },
      }) as AegisAlert;
      objects.set(`${object.metadata.namespace}/${name}`, stored);
      return Promise.resolve(structuredClone(stored));
    },
    patchStatus(ns, name, status, preconditions = {}) {
      const current = objects.get(`${ns}/${name}`);
      if (current === undefined)
        return Promise.reject(new AegisError(alertStoreErrorCodes.notFound, 'not found'));
      if (
        preconditions.resourceVersion !== undefined &&
        preconditions.resourceVersion !== current.metadata.resourceVersion
      )
        return Promise.reject(new AegisError(alertStoreErrorCodes.conflict, 'conflict', { retryable: true }));
      const next = {
        ...current,
        metadata: { ...current.metadata, resourceVersion: String((version += 1)) },
        status: { ...current.status, ...status },
      } as AegisAlert;
      objects.set(`${ns}/${name}`, next);
      return Promise.resolve(structuredClone(next));
    },
  };
}

type MemoryWorkflows = Pick<WorkflowStore, 'get' | 'patch'> & { objects: Map<string, WorkflowObject> };

/** Workflows in memory: a merge patch of metadata/spec, guarded by `metadata.resourceVersion` when given. */
function memoryWorkflows(): MemoryWorkflows {
  const objects = new Map<string, WorkflowObject>();
  let version = 100;
  return {
    objects,
    get(ns, name) {
      const found = objects.get(`${ns}/${name}`);
      return Promise.resolve(found === undefined ? undefined : structuredClone(found));
    },
    patch(ns, name, patch) {
      const current = objects.get(`${ns}/${name}`);
      if (current === undefined)
        return Promise.reject(new AegisError(alertReconcilerErrorCodes.notFound, 'not found'));
      const metadata = (patch['metadata'] ?? {}) as {
        resourceVersion?: string;
        annotations?: Record<string, string>;
      };
      if (
        metadata.resourceVersion !== undefined &&
        metadata.resourceVersion !== current.metadata?.resourceVersion
      )
        return Promise.reject(
          new AegisError(alertReconcilerErrorCodes.conflict, 'conflict', { retryable: true }),
        );
      const next: WorkflowObject = {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: { ...current.metadata?.annotations, ...metadata.annotations },
          resourceVersion: String((version += 1)),
        },
      };
      objects.set(`${ns}/${name}`, next);
      return Promise.resolve(structuredClone(next));
    },
  };
}

function recordIn(workflows: MemoryWorkflows, name: string): ApprovalRecord | undefined {
  const workflow = workflows.objects.get(`${namespace}/${workflowNameFor(name)}`);
  return parseApprovalRecord(workflow?.metadata?.annotations?.[workflowAnnotations.approval]);
}

function waiting(
  { store, workflows }: { store: ReturnType<typeof memoryStore>; workflows: MemoryWorkflows },
  name: string,
  overrides: Partial<AlertApproval> = {},
): void {
  const approval = {
    ...newPendingApproval({
      policy: { ...opsRequestApprovalPolicy, approvers: ['U1', 'U2'] },
      now: new Date('2025-06-01T08:00:00Z'),
      renderedManifest: 'kind: Workflow\n',
      manifestDigest: 'd',
    }),
    ...overrides,
  };
  store.objects.set(`${namespace}/${name}`, {
    apiVersion: 'aegis.io/v1alpha1',
    kind: 'AegisAlert',
    metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: '1' },
    spec: { type: 'NodeHasMemoryPressure', status: 'Firing' },
    status: { status: 'Firing', approval },
  });
  workflows.objects.set(`${namespace}/${workflowNameFor(name)}`, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: workflowNameFor(name),
      namespace,
      resourceVersion: '1',
      annotations: { [workflowAnnotations.approval]: serialiseApprovalRecord(approval) },
      ownerReferences: [
        { apiVersion: 'aegis.io/v1alpha1', kind: 'AegisAlert', name, uid: `uid-${name}`, controller: true },
      ],
    },
    spec: { suspend: true },
  });
}

interface Setup {
  app: FastifyInstance;
  store: ReturnType<typeof memoryStore>;
  workflows: MemoryWorkflows;
  service: ApprovalService;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function setup(auth: { tokens?: readonly string[] | undefined } = { tokens: [token] }): Setup {
  const store = memoryStore();
  const workflows = memoryWorkflows();
  const service = createApprovalService({
    store,
    workflows,
    clock: () => new Date('2025-06-01T08:10:00Z'),
    namespace,
  });
  const app = Fastify();
  registerApprovalRoutes(app, { service, auth });
  apps.push(app);
  return { app, store, workflows, service };
}

const bearer = { authorization: `Bearer ${token}` };

describe('approval routes', () => {
  it('are off (403) without AEGIS_API_TOKEN, and need the token (401) when it is set', async () => {
    const off = setup({});
    const response = await off.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${namespace}/a/approve`,
      payload: { by: 'U1' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: 'the approval API is off: set AEGIS_API_TOKEN on the Aegis server',
    });

    const { app } = setup();
    const missing = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${namespace}/a/approve`,
      payload: { by: 'U1' },
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="aegis-api"');
    const wrong = await app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${namespace}/a/approve`,
      payload: { by: 'U1' },
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: 'wrong bearer token' });
  });

  it('approve and reject with plain reasons: 200, 400, 403, 404, 409', async () => {
    const setupA = setup();
    const { app } = setupA;
    waiting(setupA, 'a', { minApprovals: 2 });
    const post = (url: string, payload: unknown) =>
      app.inject({ method: 'POST', url, payload: payload as object, headers: bearer });

    expect((await post(`/api/v1/alerts/${namespace}/a/approve`, {})).statusCode).toBe(400);
    expect(
      (await post(`/api/v1/alerts/${namespace}/a/approve`, { by: 'U1', extra: 1 })).json(),
    ).toMatchObject({
      error: expect.stringContaining('extra'),
    });

    const first = await post(`/api/v1/alerts/${namespace}/a/approve`, { by: 'U1', reason: 'ok', via: 'cli' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      alert: { namespace, name: 'a' },
      state: 'Pending',
      changed: true,
      approvals: 1,
      minApprovals: 2,
      history: [{ decision: 'Approved', by: 'U1', via: 'cli', reason: 'ok' }],
    });
    const again = await post(`/api/v1/alerts/${namespace}/a/approve`, { by: 'U1' });
    expect(again.json()).toMatchObject({ state: 'Pending', changed: false, approvals: 1 });

    const outsider = await post(`/api/v1/alerts/${namespace}/a/approve`, { by: 'U9' });
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json()).toMatchObject({
      code: 'NotApprover',
      error: expect.stringContaining('U9 may not approve'),
    });

    expect((await post(`/api/v1/alerts/${namespace}/nope/approve`, { by: 'U1' })).statusCode).toBe(404);

    const rejected = await post(`/api/v1/alerts/${namespace}/a/reject`, { by: 'U2', reason: 'no' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ state: 'Rejected' });
    const late = await post(`/api/v1/alerts/${namespace}/a/approve`, { by: 'U2' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'AlreadyDecided' });
  });

  it('creates ops requests (201) and refuses malformed ones (400)', async () => {
    const { app, store } = setup();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/ops-requests',
      headers: bearer,
      payload: {
        template: { name: 'cordon-node' },
        parameters: { node: 'n1' },
        requestedBy: 'U1',
        reason: 'r',
      },
    });
    expect(created.statusCode).toBe(201);
    const body = created.json<{ namespace: string; name: string; state: string }>();
    expect(body).toMatchObject({ namespace, state: 'AwaitingApproval' });
    expect(store.objects.get(`${namespace}/${body.name}`)?.spec.opsRequest).toEqual({
      template: { namespace, name: 'cordon-node' },
      parameters: { node: 'n1' },
      requestedBy: 'U1',
      reason: 'r',
    });
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/ops-requests',
      headers: bearer,
      payload: { template: { name: 'x' }, parameters: { 'a-b': 'c' }, requestedBy: 'U1' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'OPS_REQUEST_INVALID' });
    const unauthenticated = await app.inject({ method: 'POST', url: '/api/v1/ops-requests', payload: {} });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it('never loses a decision when the record keeps changing (re-read and decide again)', async () => {
    const store = memoryStore();
    const workflows = memoryWorkflows();
    waiting({ store, workflows }, 'c', { minApprovals: 2 });
    let interfere = 2;
    const flaky: MemoryWorkflows = {
      ...workflows,
      async patch(ns, name, patch) {
        if (interfere > 0) {
          interfere -= 1;
          // Someone else approves in between.
          const record = recordIn(workflows, 'c')!;
          const history = [
            ...(record.history ?? []),
            { decision: 'Approved' as const, by: 'U2', via: 'slack' as const, at: '2025-06-01T08:09:00Z' },
          ];
          await workflows.patch(ns, name, {
            metadata: {
              annotations: {
                [workflowAnnotations.approval]: serialiseApprovalRecord({ ...record, history }),
              },
            },
          });
        }
        return await workflows.patch(ns, name, patch);
      },
    };
    const service = createApprovalService({
      store,
      workflows: flaky,
      clock: () => new Date('2025-06-01T08:10:00Z'),
      namespace,
    });
    const outcome = await service.approve({ namespace, name: 'c' }, { id: 'U1' }, 'cli');
    expect(outcome).toMatchObject({ ok: true, approval: { state: 'Approved' } });
    expect(recordIn(workflows, 'c')?.history?.map((entry) => entry.by)).toEqual(['U2', 'U2', 'U1']);
    expect(store.objects.get(`${namespace}/c`)?.status?.approval?.state).toBe('Approved');
  });

  it('attack replay: one token cannot defeat minApprovals: 2 by approving as two people', async () => {
    const context = setup();
    waiting(context, 'one-token', { minApprovals: 2 });
    const post = (by: string) =>
      context.app.inject({
        method: 'POST',
        url: `/api/v1/alerts/${namespace}/one-token/approve`,
        payload: { by },
        headers: bearer,
      });
    expect((await post('U1')).json()).toMatchObject({ state: 'Pending', approvals: 1 });
    const second = await post('U2');
    expect(second.statusCode).toBe(403);
    expect(second.json()).toMatchObject({ code: 'SameCredential' });
    expect(recordIn(context.workflows, 'one-token')).toMatchObject({ state: 'Pending' });
    expect(recordIn(context.workflows, 'one-token')?.history).toHaveLength(1);
  });

  it('attack replay: groups claimed in the request are refused, never matched against a user id', async () => {
    const context = setup();
    // U1 is an approver; an outsider claims U1 (a user id) as one of "their groups".
    waiting(context, 'claimed-group');
    const claimed = await context.app.inject({
      method: 'POST',
      url: `/api/v1/alerts/${namespace}/claimed-group/approve`,
      payload: { by: 'U9', groups: ['U1'] },
      headers: bearer,
    });
    expect(claimed.statusCode).toBe(400);
    expect(claimed.json()).toMatchObject({
      error: expect.stringContaining('groups are resolved on the server'),
    });
    expect(recordIn(context.workflows, 'claimed-group')?.history).toEqual([]);
  });

  it('binds tokens to identities: by defaults to it and must match it', async () => {
    const context = setup({ tokens: ['U1:token-of-u1', 'U2:token-of-u2'] });
    waiting(context, 'bound', { minApprovals: 2 });
    const post = (authorization: string, payload: object) =>
      context.app.inject({
        method: 'POST',
        url: `/api/v1/alerts/${namespace}/bound/approve`,
        payload,
        headers: { authorization },
      });
    const impersonating = await post('Bearer token-of-u1', { by: 'U2' });
    expect(impersonating.statusCode).toBe(403);
    expect(impersonating.json()).toMatchObject({
      code: 'WrongIdentity',
      error: 'this token is bound to U1; by (--as) must be U1, not U2',
    });
    expect((await post('Bearer token-of-u1', {})).json()).toMatchObject({ state: 'Pending', approvals: 1 });
    expect((await post('Bearer token-of-u2', { by: 'U2' })).json()).toMatchObject({ state: 'Approved' });
    expect(recordIn(context.workflows, 'bound')?.history).toMatchObject([
      { by: 'U1', credential: 'token:U1' },
      { by: 'U2', credential: 'token:U2' },
    ]);
    expect((await post('Bearer U1:token-of-u1', {})).statusCode).toBe(401);
  });
});

describe('aegis approve|reject', () => {
  it('goes through the server API', async () => {
    const context = setup();
    const { app, store } = context;
    waiting(context, 'h');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const printed: string[] = [];
    const deps = { print: (text: string) => printed.push(text) };
    await expect(
      runApprovalCommand('reject', 'h', { as: 'U9' }, { url, token, namespace }, deps),
    ).rejects.toThrow('reject refused (HTTP 403): U9 may not reject this run: only U1, U2 may');
    await runApprovalCommand('approve', 'h', { as: 'U1', reason: 'go' }, { url, token, namespace }, deps);
    expect(printed).toEqual([`recorded: ${namespace}/h is Approved\n`]);
    expect(store.objects.get(`${namespace}/h`)?.status?.approval?.history?.[0]).toMatchObject({
      by: 'U1',
      via: 'cli',
      reason: 'go',
    });

    await expect(
      runApprovalCommand('approve', 'h', { as: 'U1' }, { url, token: 'wrong', namespace }, deps),
    ).rejects.toThrow('approve refused (HTTP 401): wrong bearer token');
  });

  it('accepts namespace/name, and refuses an --as other than the identity of a bound token', async () => {
    const context = setup({ tokens: ['U1:token-of-u1'] });
    waiting(context, 'd', { minApprovals: 2 });
    await context.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(context.app.server.address() as AddressInfo).port}`;
    const printed: string[] = [];
    const deps = { print: (text: string) => printed.push(text) };
    const defaults = { url, token: 'token-of-u1', namespace: 'elsewhere' };
    await runApprovalCommand('approve', `${namespace}/d`, { as: 'U1' }, defaults, deps);
    await runApprovalCommand('approve', 'd', { as: 'U1', namespace }, defaults, deps);
    expect(printed).toEqual([
      `recorded: ${namespace}/d has 1 of 2 approvals; still waiting\n`,
      `already recorded: ${namespace}/d has 1 of 2 approvals; still waiting\n`,
    ]);
    await expect(runApprovalCommand('approve', 'd', { as: 'U2', namespace }, defaults, deps)).rejects.toThrow(
      'approve refused (HTTP 403): this token is bound to U1; by (--as) must be U1, not U2',
    );
  });

  it('are registered on the command line with --as required', async () => {
    const calls: [string, string, ApprovalFlags][] = [];
    const handlers = {
      approval: (decision: string, alert: string, flags: ApprovalFlags) => {
        calls.push([decision, alert, flags]);
        return Promise.resolve();
      },
    } as unknown as CommandHandlers; // only the approval handler is exercised here
    const errors: string[] = [];
    const program = () =>
      createProgram(handlers, { writeOut: () => undefined, writeErr: (text) => errors.push(text) });
    await program().parseAsync(['approve', 'x', '--as', 'U1', '-n', 'ops', '--reason', 'because'], {
      from: 'user',
    });
    await program().parseAsync(['reject', 'y', '--as', 'U2'], { from: 'user' });
    expect(calls).toEqual([
      ['approve', 'x', { as: 'U1', namespace: 'ops', reason: 'because' }],
      ['reject', 'y', { as: 'U2' }],
    ]);
    await expect(program().parseAsync(['approve', 'x'], { from: 'user' })).rejects.toThrow();
    expect(errors.join('')).toContain("required option '--as <id>' not specified");
  });
});
