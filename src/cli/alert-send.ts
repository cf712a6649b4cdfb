import type { AegisConfig } from '../config/index.js';
import { readFile } from 'node:fs/promises';
import { AegisError } from '../core/errors.js';
import { objectFingerprint } from '../core/alerts/index.js';
import { recogniseKnownFormat, signatureHeaders } from '../webhooks/index.js';
import type { AlertSendFlags, AlertSendRoute } from './program.js';

/** Defaults from the configuration (AEGIS_URL, AEGIS_WEBHOOK_TOKEN, AEGIS_WEBHOOK_HMAC_SECRET). */
export interface AlertSendDefaults {
  url?: string | undefined;
  token?: string | undefined;
  hmacSecret?: string | undefined;
}

export interface AlertSendDependencies {
  print(text: string): void;
  readFile?: (path: string) => Promise<Buffer>;
  /** Unix seconds for the signature timestamp (default: now). */
  nowSeconds?: () => number;
  timeoutMs?: number;
}

export const defaultAegisUrl = 'http://127.0.0.1:8080';

const routePaths: Record<AlertSendRoute, string> = {
  default: '/default/alert',
  alertmanager: '/alertmanager/alert',
  ai: '/ai/alert',
};

interface Payload {
  body: Buffer;
  contentType: string;
  route: AlertSendRoute;
}

/**
 * `aegis alert send`: post one test alert and print the server's answer. Resolves on a 2xx; throws an
 * AegisError (exit code 1) on a 4xx/5xx or when the server cannot be reached, after printing the answer.
 */
export async function sendAlert(
  flags: AlertSendFlags,
  defaults: AlertSendDefaults,
  dependencies: AlertSendDependencies,
): Promise<void> {
  const payload =
    flags.file === undefined ? payloadFromFlags(flags) : await payloadFromFile(flags, dependencies);
  const base = (flags.url ?? defaults.url ?? defaultAegisUrl).replace(/\/+$/, '');
  const url = `${base}${routePaths[payload.route]}`;
  const headers: Record<string, string> = { 'content-type': payload.contentType };
  const token = flags.token ?? defaults.token;
  if (token !== undefined && token !== '') headers['authorization'] = `Bearer ${token}`;
  const secret = flags.hmacSecret ?? defaults.hmacSecret;
  if (secret !== undefined && secret !== '') {
    Object.assign(headers, signatureHeaders(secret, payload.body, dependencies.nowSeconds?.()));
  }

  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: payload.body,
      signal: AbortSignal.timeout(dependencies.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new AegisError('ALERT_SEND_FAILED', `cannot reach ${url}: ${describeFetchError(error)}`, {
      cause: error,
    });
  }
  const text = await response.text();
  const answer = parseJson(text);
  const statusLine = `${response.status} ${response.statusText}`.trim();
  if (response.ok) {
    dependencies.print(describeAccepted(statusLine, url, answer, text));
    return;
  }
  const error = isRecord(answer) && typeof answer['error'] === 'string' ? answer['error'] : text.trim();
  dependencies.print(describeRefused(statusLine, url, answer, response.headers.get('retry-after')));
  throw new AegisError(
    'ALERT_SEND_REFUSED',
    `the server answered ${statusLine}: ${error || 'no reason given'}`,
  );
}

function payloadFromFlags(flags: AlertSendFlags): Payload {
  if (flags.type === undefined || flags.type === '') {
    throw new AegisError('ALERT_SEND_USAGE', 'give --file, or at least --type and --name');
  }
  if (flags.name === undefined || flags.name === '') {
    throw new AegisError('ALERT_SEND_USAGE', 'give --name (the involved object), or --file');
  }
  const route = flags.route ?? 'default';
  const kind = flags.kind ?? 'Node';
  const status = flags.status ?? 'Firing';
  const details = parseDetails(flags.detail ?? []);
  const fingerprint =
    flags.fingerprint ??
    objectFingerprint({ type: flags.type, kind, name: flags.name, namespace: flags.namespace });
  const involvedObject: Record<string, string> = { kind, name: flags.name };
  if (flags.namespace !== undefined) involvedObject['namespace'] = flags.namespace;
  if (flags.node !== undefined) involvedObject['node'] = flags.node;
  const alert =
    route === 'alertmanager'
      ? alertmanagerPayload(flags.type, status, involvedObject, details, fingerprint)
      : { type: flags.type, status, involvedObject, details, fingerprint };
  return { body: Buffer.from(JSON.stringify(alert)), contentType: 'application/json', route };
}

/** The same alert as an Alertmanager webhook (version 4) with one alert. */
function alertmanagerPayload(
  type: string,
  status: string,
  object: Record<string, string>,
  details: Record<string, string>,
  fingerprint: string,
): unknown {
  const labels: Record<string, string> = { ...details, alertname: type, kind: object['kind'] ?? 'Node' };
  const kind = (object['kind'] ?? '').toLowerCase();
  if (kind === 'pod') labels['pod'] = object['name'] ?? '';
  else if (kind === 'node') labels['node'] = object['name'] ?? '';
  else labels['instance'] = object['name'] ?? '';
  if (object['namespace'] !== undefined) labels['namespace'] = object['namespace'];
  if (object['node'] !== undefined && kind !== 'node') labels['node'] = object['node'];
  const amStatus = status.toLowerCase();
  return {
    version: '4',
    status: amStatus,
    receiver: 'aegis',
    groupLabels: { alertname: type },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'aegis-cli',
    alerts: [{ status: amStatus, labels, annotations: {}, startsAt: new Date().toISOString(), fingerprint }],
  };
}

function parseDetails(pairs: readonly string[]): Record<string, string> {
  const details: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new AegisError('ALERT_SEND_USAGE', `--detail takes key=value, got "${pair}"`);
    details[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return details;
}

async function payloadFromFile(flags: AlertSendFlags, dependencies: AlertSendDependencies): Promise<Payload> {
  const file = flags.file ?? '';
  const alertFlags = ['type', 'name', 'namespace', 'node', 'detail', 'fingerprint'] as const;
  const mixed = alertFlags.filter((flag) => flags[flag] !== undefined);
  if (mixed.length > 0) {
    throw new AegisError(
      'ALERT_SEND_USAGE',
      `--file sends the file as is; leave out ${mixed.map((flag) => `--${flag}`).join(', ')}`,
    );
  }
  let body: Buffer;
  try {
    body = await (dependencies.readFile ?? readFile)(file);
  } catch (error) {
    throw new AegisError('ALERT_SEND_USAGE', `cannot read ${file}: ${describeFetchError(error)}`, {
      cause: error,
    });
  }
  const json = parseJson(body.toString('utf8'));
  const isJson = json !== undefined;
  const known = isJson ? recogniseKnownFormat(json) : undefined;
  const route =
    flags.route ?? (known === 'alertmanager' ? 'alertmanager' : known === 'custom' ? 'default' : 'ai');
  return { body, contentType: isJson ? 'application/json' : 'text/plain; charset=utf-8', route };
}

function describeAccepted(statusLine: string, url: string, answer: unknown, text: string): string {
  if (!isRecord(answer) || !Array.isArray(answer['accepted'])) return `${statusLine} from ${url}\n${text}\n`;
  const accepted = answer['accepted'] as Record<string, unknown>[];
  const refused = Array.isArray(answer['refused']) ? (answer['refused'] as Record<string, unknown>[]) : [];
  const lines = [
    `${statusLine} from ${url}: ${accepted.length} alert${accepted.length === 1 ? '' : 's'} accepted, ${refused.length} refused`,
  ];
  for (const alert of accepted) {
    lines.push(
      `  accepted [${show(alert['index'])}] ${show(alert['type'])} ${show(alert['status'])} fingerprint=${show(alert['fingerprint'])} delivery=${show(alert['deliveryId'])}`,
    );
  }
  for (const refusal of refused) lines.push(describeRefusal(refusal));
  return `${lines.join('\n')}\n`;
}

function describeRefused(
  statusLine: string,
  url: string,
  answer: unknown,
  retryAfter: string | null,
): string {
  const lines = [`${statusLine} from ${url}`];
  if (isRecord(answer) && typeof answer['error'] === 'string') lines.push(`  error: ${answer['error']}`);
  if (isRecord(answer) && Array.isArray(answer['details'])) {
    for (const detail of answer['details'] as unknown[])
      if (isRecord(detail)) lines.push(describeRefusal(detail));
  }
  if (retryAfter !== null) lines.push(`  retry after: ${retryAfter} s`);
  return `${lines.join('\n')}\n`;
}

function describeRefusal(refusal: Record<string, unknown>): string {
  const path = show(refusal['path']);
  return `  refused [${show(refusal['index'])}] ${path === '' ? '' : `${path}: `}${show(refusal['reason'])}`;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return `${error.message} (${cause.message})`;
  return error.message;
}

/**
 * The defaults of `aegis alert send` from the configuration: AEGIS_URL, the first AEGIS_WEBHOOK_TOKEN (tokens
 * are a list for rotation; the newest comes first) and AEGIS_WEBHOOK_HMAC_SECRET.
 */
export function alertSendDefaultsFrom(
  config: Pick<AegisConfig, 'aegisUrl' | 'webhookTokens' | 'webhookHmacSecret'>,
): AlertSendDefaults {
  return {
    url: config.aegisUrl,
    token: config.webhookTokens?.[0],
    hmacSecret: config.webhookHmacSecret,
  };
}
