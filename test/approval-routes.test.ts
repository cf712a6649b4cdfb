/**
 * The approval HTTP API (fastify, bearer token) and the `aegis approve|reject` command in both modes: through
 * the server (AEGIS_URL) and directly with the approval service. The store is in memory, with resourceVersion
 * preconditions like the API server's.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runApprovalCommand } from '../src/cli/approval-commands.js';
import { createProgram, type ApprovalFlags, type CommandHandlers } from '../src/cli/program.js';
import { newPendingApproval, opsRequestApprovalPolicy } from '../src/core/approvals/index.js';
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

function waiting(
  store: ReturnType<typeof memoryStore>,
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
    metadata: { name, namespace, resourceVersion: '1' },
    spec: { type: 'NodeHasMemoryPressure', status: 'Firing' },
    status: { status: 'Firing', approval },
  });
}

interface Setup {
  app: FastifyInstance;
  store: ReturnType<typeof memoryStore>;
  service: ApprovalService;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function setup(auth: { tokens?: readonly string[] | undefined } = { tokens: [token] }): Setup {
  const store = memoryStore();
  const service = createApprovalService({ store, clock: () => new Date('2025-06-01T08:10:00Z'), namespace });
  const app = Fastify();
  registerApprovalRoutes(app, { service, auth });
  apps.push(app);
  return { app, store, service };
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
    const { app, store } = setup();
    waiting(store, 'a', { minApprovals: 2 });
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

  it('never loses a decision when the store keeps conflicting (re-read and decide again)', async () => {
    const store = memoryStore();
    waiting(store, 'c', { minApprovals: 2 });
    let interfere = 2;
    const flaky: ApprovalAlertStore = {
      ...store,
      async patchStatus(ns, name, status, preconditions) {
        if (interfere > 0) {
          interfere -= 1;
          // Someone else approves in between.
          const current = store.objects.get(`${ns}/${name}`)!;
          const approval = current.status!.approval!;
          await store.patchStatus(ns, name, {
            approval: {
              ...approval,
              history: [
                ...(approval.history ?? []),
                { decision: 'Approved', by: 'U2', via: 'slack', at: '2025-06-01T08:09:00Z' },
              ],
            },
          });
        }
        return await store.patchStatus(ns, name, status, preconditions);
      },
    };
    const service = createApprovalService({
      store: flaky,
      clock: () => new Date('2025-06-01T08:10:00Z'),
      namespace,
    });
    const outcome = await service.approve({ namespace, name: 'c' }, { id: 'U1' }, 'cli');
    expect(outcome).toMatchObject({ ok: true, approval: { state: 'Approved' } });
    expect(store.objects.get(`${namespace}/c`)?.status?.approval?.history?.map((entry) => entry.by)).toEqual([
      'U2',
      'U2',
      'U1',
    ]);
  });
});

describe('aegis approve|reject', () => {
  it('goes through the server when AEGIS_URL is set', async () => {
    const { app, store } = setup();
    waiting(store, 'h');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const printed: string[] = [];
    const deps = {
      print: (text: string) => printed.push(text),
      directService: () => Promise.reject(new Error('not used')),
    };
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

  it('decides directly with the approval service otherwise, accepting namespace/name', async () => {
    const store = memoryStore();
    waiting(store, 'd', { minApprovals: 2 });
    const service = createApprovalService({
      store,
      clock: () => new Date('2025-06-01T08:10:00Z'),
      namespace: 'elsewhere',
    });
    const printed: string[] = [];
    const deps = { print: (text: string) => printed.push(text), directService: () => service };
    await runApprovalCommand('approve', `${namespace}/d`, { as: 'U1' }, { namespace: 'elsewhere' }, deps);
    await runApprovalCommand('approve', 'd', { as: 'U1', namespace }, { namespace: 'elsewhere' }, deps);
    expect(printed).toEqual([
      `recorded: ${namespace}/d has 1 of 2 approvals; still waiting\n`,
      `already recorded: ${namespace}/d has 1 of 2 approvals; still waiting\n`,
    ]);
    await expect(
      runApprovalCommand('approve', 'd', { as: 'U9', namespace }, { namespace }, deps),
    ).rejects.toThrow(/approve refused \(NotApprover\)/);
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
