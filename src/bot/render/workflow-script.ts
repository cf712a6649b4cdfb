/**
 * What a rendered Argo Workflow will run, for people: each step's image and its command and args (or its
 * script source), in the order the entrypoint runs them. A reviewer reads this first; the full manifest is one
 * click away. Pure; a manifest that does not parse yields no steps (the card then shows the manifest itself).
 */
import { parse } from 'yaml';

export interface ScriptStep {
  /** The Argo template's name. */
  readonly name: string;
  readonly image?: string;
  /** The container's command followed by its args (or a script's command). */
  readonly argv: readonly string[];
  /** A `script` template's source, run by `argv`. */
  readonly source?: string;
}

interface ArgoTemplate {
  name?: unknown;
  container?: { image?: unknown; command?: unknown; args?: unknown };
  script?: { image?: unknown; command?: unknown; source?: unknown };
  steps?: unknown;
  dag?: { tasks?: unknown };
}

const maxSteps = 20;

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stepOf(template: ArgoTemplate): ScriptStep | undefined {
  const name = text(template.name) ?? 'main';
  if (template.container !== undefined && template.container !== null) {
    const image = text(template.container.image);
    return {
      name,
      ...(image === undefined ? {} : { image }),
      argv: [...strings(template.container.command), ...strings(template.container.args)],
    };
  }
  if (template.script !== undefined && template.script !== null) {
    const image = text(template.script.image);
    const source = text(template.script.source);
    return {
      name,
      ...(image === undefined ? {} : { image }),
      argv: strings(template.script.command),
      ...(source === undefined ? {} : { source }),
    };
  }
  return undefined;
}

/** Names of the templates a steps/DAG template calls, in order. */
function calledTemplates(template: ArgoTemplate): string[] {
  const names: string[] = [];
  if (Array.isArray(template.steps)) {
    for (const group of template.steps as unknown[]) {
      for (const step of Array.isArray(group) ? group : [group]) {
        const called = (step as { template?: unknown } | null)?.template;
        if (typeof called === 'string') names.push(called);
      }
    }
  }
  const tasks = template.dag?.tasks;
  if (Array.isArray(tasks)) {
    for (const task of tasks as unknown[]) {
      const called = (task as { template?: unknown } | null)?.template;
      if (typeof called === 'string') names.push(called);
    }
  }
  return names;
}

/** The steps of `manifest` (a Workflow in YAML or JSON) in run order; [] when it cannot be read. */
export function workflowScript(manifest: string): ScriptStep[] {
  let document: unknown;
  try {
    document = parse(manifest, { maxAliasCount: 0, uniqueKeys: false });
  } catch {
    return [];
  }
  const spec = (document as { spec?: { entrypoint?: unknown; templates?: unknown } } | null)?.spec;
  if (!Array.isArray(spec?.templates)) return [];
  const templates = (spec.templates as unknown[]).filter(
    (item): item is ArgoTemplate => typeof item === 'object' && item !== null,
  );
  const byName = new Map(templates.map((template) => [text(template.name) ?? '', template]));
  const entry = byName.get(text(spec.entrypoint) ?? '') ?? templates[0];
  if (entry === undefined) return [];
  const order: ArgoTemplate[] = [];
  const visit = (template: ArgoTemplate, depth: number): void => {
    if (order.length >= maxSteps || depth > 5) return;
    const own = stepOf(template);
    if (own !== undefined) {
      if (!order.includes(template)) order.push(template);
      return;
    }
    for (const name of calledTemplates(template)) {
      const called = byName.get(name);
      if (called !== undefined) visit(called, depth + 1);
    }
  };
  visit(entry, 0);
  return order.map(stepOf).filter((step): step is ScriptStep => step !== undefined);
}

/**
 * A command line for people: `sh -c` followed by its script on the next lines, other arguments quoted only
 * when they need it.
 */
export function commandText(step: ScriptStep): string {
  const quoted = (word: string): string =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
  const shellScript = step.argv.findIndex((word, index) => word === '-c' && index < step.argv.length - 1);
  if (shellScript >= 0) {
    const head = step.argv
      .slice(0, shellScript + 1)
      .map(quoted)
      .join(' ');
    const script = step.argv[shellScript + 1] ?? '';
    const rest = step.argv
      .slice(shellScript + 2)
      .map(quoted)
      .join(' ');
    return `$ ${head}${rest === '' ? '' : ` … ${rest}`}\n${script.replace(/\n+$/, '')}`;
  }
  const line = step.argv.length === 0 ? '' : `$ ${step.argv.map(quoted).join(' ')}`;
  if (step.source === undefined) return line === '' ? '(the image’s default command)' : line;
  return `${line === '' ? '$ (script)' : line}\n${step.source.replace(/\n+$/, '')}`;
}
