/**
 * `aegis template render --template FILE --alert FILE`: a preview of what a template runs for an alert, without
 * a cluster. The template file is an AegisOpsTemplate (YAML) or a raw Argo Workflow manifest; the alert file is
 * an AegisAlert (YAML or JSON), a custom-format alert (examples/alerts/custom-node-firing.json) or an
 * Alertmanager webhook body (its first alert). Prints the rendered Workflow and, as YAML comments, the scripts
 * that would run. A value that is unsafe to substitute stops with the variable, its value and the reason.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { buildAegisAlertObject } from '../core/alerts/index.js';
import { AegisError } from '../core/errors.js';
import { buildTemplateVariables, renderOpsTemplate } from '../core/templates/index.js';
import type { RenderResult, TemplateAlert } from '../core/templates/index.js';
import { recogniseKnownFormat } from '../webhooks/index.js';
import { parseAlertmanagerPayload, parseCustomPayload } from '../webhooks/formats/index.js';

export interface TemplateRenderOptions {
  template: string;
  alert: string;
  namespace?: string;
}

export interface TemplateRenderDefaults {
  /** AEGIS_NAMESPACE: where the AegisAlert would be published (`AlertNamespace`). */
  namespace: string;
  /** AEGIS_SYSTEM_PARAMETERS: annotations of every alert, variables of every template. */
  systemParameters: Readonly<Record<string, string>>;
}

export interface TemplateCommandDependencies {
  print(text: string): void;
  readFile?: (path: string) => Promise<string>;
  /** For the preview alert's start time (default: now). */
  now?: () => Date;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function usage(message: string): AegisError {
  return new AegisError('TEMPLATE_RENDER_USAGE', message);
}

async function readText(path: string, dependencies: TemplateCommandDependencies): Promise<string> {
  try {
    return await (dependencies.readFile ?? ((file: string) => readFile(file, 'utf8')))(path);
  } catch (error) {
    throw usage(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The manifest in a template file: `spec.manifest` of its AegisOpsTemplate, or the whole file when it is not one
 * (a raw Workflow, which may not even be YAML before rendering, e.g. `key: {{.x}}`).
 */
export function templateManifestFromFile(text: string, file: string): string {
  let documents: unknown[] = [];
  try {
    documents = parseAllDocuments(text).flatMap((document) =>
      'errors' in document && document.errors.length === 0 ? [document.toJS() as unknown] : [],
    );
  } catch {
    documents = [];
  }
  const templates = documents.filter(
    (document) => isObject(document) && document['kind'] === 'AegisOpsTemplate',
  );
  if (templates.length > 1) {
    throw usage(
      `${file} holds ${templates.length} AegisOpsTemplates; put the one to render in a file of its own`,
    );
  }
  const [template] = templates;
  if (!isObject(template)) {
    const rule = documents.find((document) => isObject(document) && document['kind'] === 'AegisAlertOpsRule');
    if (isObject(rule)) {
      const spec = isObject(rule['spec']) ? rule['spec'] : {};
      const named = isObject(spec['opsTemplate']) ? spec['opsTemplate']['name'] : undefined;
      throw usage(
        `${file} holds an AegisAlertOpsRule, not a template; give --template the file of the AegisOpsTemplate it runs${typeof named === 'string' ? ` (${named})` : ''}`,
      );
    }
    return text;
  }
  const manifest = isObject(template['spec']) ? template['spec']['manifest'] : undefined;
  if (typeof manifest !== 'string' || manifest === '') {
    throw usage(`${file}: the AegisOpsTemplate has no spec.manifest`);
  }
  return manifest;
}

/** The alert a template would see, from an AegisAlert, a custom-format alert or an Alertmanager body. */
export function templateAlertFromFile(
  text: string,
  file: string,
  defaults: TemplateRenderDefaults & { now: Date },
): TemplateAlert {
  let body: unknown;
  try {
    const [first, ...rest] = parseAllDocuments(text);
    if (first === undefined || !('errors' in first)) throw new Error('the file is empty');
    if (rest.length > 0) throw new Error('put one alert in the file');
    const [error] = first.errors;
    if (error !== undefined) throw error;
    body = first.toJS() as unknown;
  } catch (error) {
    throw usage(
      `${file} is not an alert (YAML or JSON): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (isObject(body) && body['kind'] === 'AegisAlert') return fromAegisAlert(body, file, defaults.namespace);
  const format = recogniseKnownFormat(body);
  if (format === undefined) {
    throw usage(`${file} is neither an AegisAlert, a custom-format alert, nor an Alertmanager webhook body`);
  }
  const converted = format === 'alertmanager' ? parseAlertmanagerPayload(body) : parseCustomPayload(body);
  const accepted = converted.accepted[0];
  if (accepted === undefined) {
    const refused = converted.refused[0];
    const where = refused === undefined || refused.path === '' ? '' : `${refused.path}: `;
    throw usage(`${file}: the alert is refused: ${where}${refused?.reason ?? 'no alert in the body'}`);
  }
  // Exactly what the ingest worker would create; the API server would add 5 random characters to the name.
  const { object } = buildAegisAlertObject(accepted.alert, {
    namespace: defaults.namespace,
    systemParameters: defaults.systemParameters,
    ttl: {},
    now: defaults.now.toISOString(),
  });
  return {
    metadata: {
      name: `${object.metadata.generateName}xxxxx`,
      namespace: object.metadata.namespace,
      annotations: object.metadata.annotations,
    },
    spec: object.spec,
  };
}

function fromAegisAlert(body: JsonObject, file: string, namespace: string): TemplateAlert {
  const metadata = isObject(body['metadata']) ? body['metadata'] : {};
  const spec = body['spec'];
  if (!isObject(spec) || typeof spec['type'] !== 'string' || typeof spec['status'] !== 'string') {
    throw usage(`${file}: the AegisAlert needs spec.type and spec.status`);
  }
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const name = text(metadata['name']) ?? `${text(metadata['generateName']) ?? 'alert-'}xxxxx`;
  const annotations = isObject(metadata['annotations']) ? stringRecord(metadata['annotations']) : undefined;
  return {
    metadata: {
      name,
      namespace: text(metadata['namespace']) ?? namespace,
      ...(annotations === undefined ? {} : { annotations }),
    },
    spec: spec as TemplateAlert['spec'],
  };
}

function stringRecord(value: JsonObject): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') record[key] = entry;
  return record;
}

/** The preview text: the Workflow, then each script as YAML comments (so the output stays valid YAML). */
export function describeRendered(rendered: Extract<RenderResult, { ok: true }>): string {
  const lines = [rendered.yaml.trimEnd(), '', `# Scripts that would run (${rendered.scripts.length}):`];
  rendered.scripts.forEach((script, index) => {
    lines.push(`# --- ${index + 1}`);
    for (const line of script.replace(/\n$/, '').split('\n')) lines.push(`#   ${line}`);
  });
  lines.push(`# digest: sha256:${rendered.digest}`);
  return `${lines.join('\n')}\n`;
}

export async function renderTemplateCommand(
  options: TemplateRenderOptions,
  defaults: TemplateRenderDefaults,
  dependencies: TemplateCommandDependencies,
): Promise<void> {
  const manifest = templateManifestFromFile(await readText(options.template, dependencies), options.template);
  const alert = templateAlertFromFile(await readText(options.alert, dependencies), options.alert, {
    ...defaults,
    namespace: options.namespace ?? defaults.namespace,
    now: (dependencies.now ?? (() => new Date()))(),
  });
  const variables = buildTemplateVariables(alert);
  const rendered = renderOpsTemplate(manifest, variables);
  if (rendered.ok) {
    dependencies.print(describeRendered(rendered));
    return;
  }
  const lines = [`${rendered.reason}: ${rendered.message}`];
  if (rendered.variable !== undefined) {
    lines.push(`  variable: ${rendered.variable}`);
    const value = variables[rendered.variable];
    if (value !== undefined) lines.push(`  value:    ${JSON.stringify(value)}`);
  }
  if (rendered.line !== undefined) lines.push(`  line:     ${rendered.line} of the manifest`);
  dependencies.print(`${lines.join('\n')}\n`);
  const code = rendered.reason === 'TemplateUnsafe' ? 'TEMPLATE_UNSAFE' : 'TEMPLATE_INVALID';
  const what =
    rendered.reason === 'TemplateUnsafe'
      ? `nothing would run: the value of "${rendered.variable ?? '?'}" is unsafe`
      : 'the template does not render';
  throw new AegisError(code, `${what} (${rendered.reason})`);
}

// ---------------------------------------------------------------------------------------------------
// Command line

export interface TemplateCommandHandlers {
  templateRender(options: TemplateRenderOptions): Promise<void>;
}

export { addTemplateCommands } from './command-registrations.js';
