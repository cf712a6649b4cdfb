/**
 * The `/aegis` command grammar, parsed into plain data (pure; the dispatcher does the work):
 *
 *   help
 *   alerts [--type T] [--status S] [--node N]
 *   alert <name|namespace/name>
 *   approve <alert> [reason...]        reject <alert> [reason...]
 *   rules                               templates
 *   run <template|namespace/template> [key=value ...] [--reason text...]
 *   silence <type|fingerprint> <duration> [reason...]     (type:X or fingerprint:X to be explicit)
 *   silences                            unsilence <name>
 *   status
 *   checks                              check node <node> [--from <cluster check>]
 *   diagnose node|pod|pytorchjob|workflow <name|namespace/name> [-n namespace]
 *
 * A mistake yields `invalid` with a plain-words message and the usage line; an unknown word yields `help`.
 */
import { parseChatDuration } from '../../../core/silences/index.js';
import { tokenize } from './tokenize.js';

export interface ObjectReference {
  namespace?: string;
  name: string;
}

export interface AlertFilters {
  type?: string;
  status?: string;
  node?: string;
}

export type AegisCommand =
  | { kind: 'help'; unknown?: string }
  | { kind: 'alerts'; filters: AlertFilters }
  | { kind: 'alert'; alert: ObjectReference }
  | { kind: 'approve' | 'reject'; alert: ObjectReference; reason?: string }
  | { kind: 'rules' }
  | { kind: 'templates' }
  | { kind: 'run'; template: ObjectReference; parameters: Record<string, string>; reason?: string }
  | {
      kind: 'silence';
      matcher: { type: string } | { fingerprint: string };
      durationMs: number;
      duration: string;
      reason?: string;
    }
  | { kind: 'silences' }
  | { kind: 'unsilence'; name: string }
  | { kind: 'status' }
  | { kind: 'checks' }
  | { kind: 'check-node'; node: string; from?: string }
  | { kind: 'diagnose'; target: 'node' | 'pod' | 'pytorchjob' | 'workflow'; object: ObjectReference }
  | { kind: 'invalid'; message: string; usage: string };

export const commandUsage = {
  help: 'help',
  alerts: 'alerts [--type T] [--status S] [--node N]',
  alert: 'alert <name>',
  approve: 'approve <alert> [reason]',
  reject: 'reject <alert> [reason]',
  rules: 'rules',
  templates: 'templates',
  run: 'run <template> [key=value ...] [--reason text]',
  silence: 'silence <type|fingerprint> <duration> [reason]',
  silences: 'silences',
  unsilence: 'unsilence <name>',
  status: 'status',
  checks: 'checks',
  check: 'check node <node> [--from <cluster check>]',
  diagnose: 'diagnose node|pod|pytorchjob|workflow <name> [-n namespace]',
} as const;

export type CommandName = keyof typeof commandUsage;

const objectName = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const parameterName = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Alertmanager fingerprints are 16 hex digits; Aegis details fingerprints 63. */
const fingerprintShape = /^[0-9a-f]{16,64}$/;

function invalid(command: CommandName, message: string): AegisCommand {
  return { kind: 'invalid', message, usage: `/aegis ${commandUsage[command]}` };
}

function reference(text: string): ObjectReference | undefined {
  const parts = text.split('/');
  if (parts.length > 2) return undefined;
  const name = parts.length === 2 ? parts[1] : parts[0];
  const namespace = parts.length === 2 ? parts[0] : undefined;
  if (name === undefined || !objectName.test(name)) return undefined;
  if (namespace !== undefined && !objectName.test(namespace)) return undefined;
  return namespace === undefined ? { name } : { namespace, name };
}

function joinedReason(words: readonly string[]): { reason?: string } {
  const reason = words.join(' ').trim();
  return reason === '' ? {} : { reason };
}

export function parseCommand(text: string): AegisCommand {
  const words = tokenize(text);
  const [first, ...rest] = words;
  const verb = first?.toLowerCase();
  switch (verb) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      return { kind: 'help' };
    case 'alerts':
      return parseAlerts(rest);
    case 'alert': {
      if (rest.length !== 1) return invalid('alert', 'name one alert');
      const alert = reference(rest[0] ?? '');
      if (alert === undefined) return invalid('alert', `"${rest[0] ?? ''}" is not an alert name`);
      return { kind: 'alert', alert };
    }
    case 'approve':
    case 'reject': {
      const [target, ...reasonWords] = rest;
      if (target === undefined) return invalid(verb, `name the alert to ${verb}`);
      const alert = reference(target);
      if (alert === undefined) return invalid(verb, `"${target}" is not an alert name`);
      return { kind: verb, alert, ...joinedReason(reasonWords) };
    }
    case 'check':
      return parseCheck(rest);
    case 'diagnose':
      return parseDiagnose(rest);
    case 'rules':
    case 'templates':
    case 'silences':
    case 'status':
    case 'checks':
      if (rest.length > 0) return invalid(verb, `${verb} takes no arguments`);
      return { kind: verb };
    case 'run':
      return parseRun(rest);
    case 'silence':
      return parseSilence(rest);
    case 'unsilence': {
      if (rest.length !== 1) return invalid('unsilence', 'name one silence (see /aegis silences)');
      const name = rest[0] ?? '';
      if (!objectName.test(name)) return invalid('unsilence', `"${name}" is not a silence name`);
      return { kind: 'unsilence', name };
    }
    default:
      return { kind: 'help', unknown: first ?? '' };
  }
}

function parseAlerts(words: readonly string[]): AegisCommand {
  const filters: AlertFilters = {};
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    const match = /^--(type|status|node)(?:=(.*))?$/.exec(word);
    if (match === null) return invalid('alerts', `unexpected "${word}"`);
    const key = match[1] as keyof AlertFilters;
    let value = match[2];
    if (value === undefined) {
      index += 1;
      value = words[index];
    }
    if (value === undefined || value === '') return invalid('alerts', `--${key} needs a value`);
    filters[key] = value;
  }
  return { kind: 'alerts', filters };
}

function parseRun(words: readonly string[]): AegisCommand {
  const [target, ...rest] = words;
  if (target === undefined) return invalid('run', 'name the template to run (see /aegis templates)');
  const template = reference(target);
  if (template === undefined) return invalid('run', `"${target}" is not a template name`);
  const parameters: Record<string, string> = {};
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index] ?? '';
    if (word === '--reason' || word.startsWith('--reason=')) {
      const inline = word.startsWith('--reason=') ? [word.slice('--reason='.length)] : [];
      const reason = joinedReason([...inline, ...rest.slice(index + 1)]);
      if (reason.reason === undefined) return invalid('run', '--reason needs a text');
      return { kind: 'run', template, parameters, ...reason };
    }
    const equals = word.indexOf('=');
    if (equals <= 0) return invalid('run', `"${word}" is not key=value`);
    const key = word.slice(0, equals);
    if (!parameterName.test(key))
      return invalid('run', `"${key}" is not a parameter name (letters, digits, _)`);
    if (Object.hasOwn(parameters, key)) return invalid('run', `${key} is given twice`);
    parameters[key] = word.slice(equals + 1);
  }
  return { kind: 'run', template, parameters };
}

function parseSilence(words: readonly string[]): AegisCommand {
  const [target, duration, ...reasonWords] = words;
  if (target === undefined || duration === undefined)
    return invalid('silence', 'name an alert type or fingerprint and a duration, e.g. 2h');
  const durationMs = parseChatDuration(duration);
  if (durationMs === undefined)
    return invalid('silence', `"${duration}" is not a duration; use e.g. 30m, 2h or 1d`);
  const explicit = /^(type|fingerprint):(.+)$/.exec(target);
  const matcher =
    explicit !== null
      ? explicit[1] === 'type'
        ? { type: explicit[2] ?? '' }
        : { fingerprint: explicit[2] ?? '' }
      : fingerprintShape.test(target)
        ? { fingerprint: target }
        : { type: target };
  return { kind: 'silence', matcher, durationMs, duration, ...joinedReason(reasonWords) };
}

function parseCheck(words: readonly string[]): AegisCommand {
  const [what, node, ...rest] = words;
  if (what?.toLowerCase() !== 'node' || node === undefined) return invalid('check', 'name the node to check');
  if (!objectName.test(node)) return invalid('check', `"${node}" is not a node name`);
  if (rest.length === 0) return { kind: 'check-node', node };
  const [flag, from, ...extra] = rest;
  if (flag !== '--from' || from === undefined || extra.length > 0)
    return invalid('check', `unexpected "${rest.join(' ')}"`);
  if (!objectName.test(from)) return invalid('check', `"${from}" is not a cluster check name`);
  return { kind: 'check-node', node, from };
}

const diagnoseTargets: Readonly<Record<string, 'node' | 'pod' | 'pytorchjob' | 'workflow'>> = {
  node: 'node',
  no: 'node',
  pod: 'pod',
  po: 'pod',
  pytorchjob: 'pytorchjob',
  workflow: 'workflow',
  wf: 'workflow',
};

function parseDiagnose(words: readonly string[]): AegisCommand {
  const [what, target, ...rest] = words;
  const kind = diagnoseTargets[what?.toLowerCase() ?? ''];
  if (kind === undefined)
    return invalid(
      'diagnose',
      `name what to diagnose: node, pod, pytorchjob or workflow${what === undefined ? '' : ` (not "${what}")`}`,
    );
  if (target === undefined) return invalid('diagnose', `name the ${kind} to diagnose`);
  const object = reference(target);
  if (object === undefined) return invalid('diagnose', `"${target}" is not a ${kind} name`);
  if (kind === 'node' && object.namespace !== undefined)
    return invalid('diagnose', 'a node has no namespace');
  if (rest.length === 0) return { kind: 'diagnose', target: kind, object };
  const [flag, namespace, ...extra] = rest;
  if ((flag !== '-n' && flag !== '--namespace') || namespace === undefined || extra.length > 0)
    return invalid('diagnose', `unexpected "${rest.join(' ')}"`);
  if (kind === 'node') return invalid('diagnose', 'a node has no namespace');
  if (!objectName.test(namespace)) return invalid('diagnose', `"${namespace}" is not a namespace name`);
  if (object.namespace !== undefined && object.namespace !== namespace)
    return invalid('diagnose', `two namespaces given: ${object.namespace} and ${namespace}`);
  return { kind: 'diagnose', target: kind, object: { namespace, name: object.name } };
}
