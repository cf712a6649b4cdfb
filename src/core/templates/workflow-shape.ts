/**
 * What a rendered ops template must be (an Argo Workflow that can start), and the commands it will run, shown to
 * approvers before anything runs.
 */
import { shellQuote } from './shell-safety.js';

export const argoApiVersion = 'argoproj.io/v1alpha1';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Why `value` is not a usable Argo Workflow, with the path of the field at fault (for its line); undefined when
 * it is one: `apiVersion: argoproj.io/v1alpha1`, `kind: Workflow`, and a `spec` with either a
 * `workflowTemplateRef` or an `entrypoint` naming one of its non-empty `templates`.
 */
export function workflowShapeProblem(value: unknown): { problem: string; path: string[] } | undefined {
  const prefix = 'the template must render an Argo Workflow';
  if (!isObject(value)) return { problem: `${prefix}: the document is not a mapping`, path: [] };
  if (value['apiVersion'] !== argoApiVersion) {
    return {
      problem: `${prefix}: apiVersion must be "${argoApiVersion}", found ${JSON.stringify(value['apiVersion'] ?? null)}`,
      path: ['apiVersion'],
    };
  }
  if (value['kind'] !== 'Workflow') {
    return {
      problem: `${prefix}: kind must be "Workflow", found ${JSON.stringify(value['kind'] ?? null)}`,
      path: ['kind'],
    };
  }
  const spec = value['spec'];
  if (!isObject(spec)) return { problem: `${prefix}: spec must be a mapping`, path: ['spec'] };
  if (isObject(spec['workflowTemplateRef'])) return undefined;
  const entrypoint = spec['entrypoint'];
  if (typeof entrypoint !== 'string' || entrypoint === '') {
    return {
      problem: `${prefix}: spec.entrypoint (or spec.workflowTemplateRef) is required`,
      path: ['spec'],
    };
  }
  const templates = spec['templates'];
  if (!Array.isArray(templates) || templates.length === 0) {
    return { problem: `${prefix}: spec.templates must be a non-empty list`, path: ['spec'] };
  }
  const names = templates.map((template) => (isObject(template) ? template['name'] : undefined));
  if (!names.includes(entrypoint)) {
    return {
      problem: `${prefix}: spec.entrypoint "${entrypoint}" names none of spec.templates`,
      path: ['spec', 'entrypoint'],
    };
  }
  return undefined;
}

const plainWord = /^[A-Za-z0-9._:/=@%+,-]+$/;

/** An argv as one shell command line, quoting only the words that need it. */
export function formatCommandLine(argv: readonly unknown[]): string {
  return argv
    .map((word) => (typeof word === 'string' ? word : JSON.stringify(word)))
    .map((word) => (plainWord.test(word) ? word : shellQuote(word)))
    .join(' ');
}

function containerCommand(container: unknown): string | undefined {
  if (!isObject(container)) return undefined;
  const argv = [
    ...(Array.isArray(container['command']) ? (container['command'] as unknown[]) : []),
    ...(Array.isArray(container['args']) ? (container['args'] as unknown[]) : []),
  ];
  return argv.length > 0 ? formatCommandLine(argv) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * What the workflow runs, in template order: each container's command and arguments as one command line, each
 * script's source, and each resource template's manifest.
 */
export function workflowScripts(workflow: unknown): string[] {
  const scripts: string[] = [];
  const spec = isObject(workflow) ? workflow['spec'] : undefined;
  const templates = isObject(spec) ? list(spec['templates']) : [];
  for (const template of templates) {
    if (!isObject(template)) continue;
    const containers = [
      ...list(template['initContainers']),
      template['container'],
      ...(isObject(template['containerSet']) ? list(template['containerSet']['containers']) : []),
      ...list(template['sidecars']),
    ];
    for (const container of containers) {
      const command = containerCommand(container);
      if (command !== undefined) scripts.push(command);
    }
    const script = template['script'];
    if (isObject(script) && typeof script['source'] === 'string') scripts.push(script['source']);
    const resource = template['resource'];
    if (isObject(resource) && typeof resource['manifest'] === 'string') scripts.push(resource['manifest']);
  }
  return scripts;
}
