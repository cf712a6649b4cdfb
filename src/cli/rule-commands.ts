/**
 * `aegis rule lint FILE...`, `aegis rule create FILE`, `aegis rule get [NAME]`, `aegis rule delete NAME`.
 *
 * Lint checks every AegisAlertOpsRule (and AegisOpsTemplate) document exactly as the reconcilers do and lists
 * every problem with its file, document and field. create/get/delete talk to the Kubernetes API found as
 * `aegis serve` finds it (KUBECONFIG, ~/.kube/config, a pod's service account, or the sandbox kubeconfig a
 * running `aegis serve`/`aegis sandbox` wrote). Unlike upstream's `aegiscli rule create`, no image is built: the
 * file holds the rule and its template.
 */
import { existsSync } from 'node:fs';
import { stringify as stringifyYaml } from 'yaml';
import type { AegisConfig } from '../config/index.js';
import { ruleResource, templateResource } from '../controller/rules/index.js';
import { AegisError } from '../core/errors.js';
import type { AegisAlertOpsRule, AegisOpsTemplate } from '../core/resources/index.js';
import {
  createCustomObjectClient,
  createKubeClients,
  customObjectErrorCodes,
  resolveKubeTarget,
  sandboxKubeconfigPath,
} from '../kube/index.js';
import type { CustomObjectClient, KubeClients } from '../kube/index.js';
import { describeKubeError, kubeStatusCode } from '../kube/index.js';
import { formatLintProblem, isObject, lintText, readText, type RuleCommandDependencies } from './rule-lint.js';
import { appendFileLayer, formatImageReference, parseImageReference } from './oci-image-append.js';
import {
  opsTargets,
  parseLabelSelector,
  ruleObjectsFromScript,
  scriptConfigMapName,
  scriptPathInImage,
  type OpsTarget,
} from './rule-from-script.js';

// ---------------------------------------------------------------------------------------------------
// Kubernetes

export interface RuleKube {
  readonly rules: CustomObjectClient<AegisAlertOpsRule>;
  readonly templates: CustomObjectClient<AegisOpsTemplate>;
  /** Create a ConfigMap (the script of `aegis rule create NAME --ops-file`); throws RULE_EXISTS when taken. */
  createConfigMap(namespace: string, body: Record<string, unknown>): Promise<void>;
}

export function ruleKubeFrom(clients: Pick<KubeClients, 'customObjects' | 'core'>): RuleKube {
  return {
    rules: createCustomObjectClient<AegisAlertOpsRule>(clients, ruleResource),
    templates: createCustomObjectClient<AegisOpsTemplate>(clients, templateResource),
    async createConfigMap(namespace, body) {
      try {
        await clients.core.createNamespacedConfigMap({ namespace, body });
      } catch (error) {
        const name = JSON.stringify((body['metadata'] as { name?: string } | undefined)?.name);
        if (kubeStatusCode(error) === 409)
          throw new AegisError('RULE_EXISTS', `ConfigMap ${namespace}/${name} already exists`, {
            cause: error,
          });
        throw new AegisError(
          'RULE_CREATE_FAILED',
          `creating ConfigMap ${namespace}/${name}: ${describeKubeError(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}

export interface RuleFromScriptFlags extends RuleCommandOptions {
  alertType: string;
  alertStatus?: string;
  opsFile: string;
  opsTarget?: string;
  labelSelector?: string[];
  baseImage?: string;
  serviceAccount?: string;
  dryRun?: boolean;
  /** HOST/REPO: bake the script into `--base-image` as a layer and push it as HOST/REPO:NAME. */
  imageRegistry?: string;
}

/**
 * `aegis rule create NAME --alert-type T --ops-file script.sh`: the script in a ConfigMap, a template that
 * mounts it, and the rule; linted as the controller would before anything is created. `--dry-run` prints
 * the YAML instead.
 */
export async function createRuleFromScript(
  name: string,
  flags: RuleFromScriptFlags & { defaultNamespace: string },
  kube: RuleKube | undefined,
  dependencies: RuleCommandDependencies,
): Promise<void> {
  const opsTarget = flags.opsTarget ?? 'Node';
  if (!(opsTargets as readonly string[]).includes(opsTarget))
    throw new AegisError(
      'RULE_CREATE_USAGE',
      `--ops-target ${JSON.stringify(opsTarget)}: expected Node or Pod`,
    );
  const namespace = flags.namespace ?? flags.defaultNamespace;
  const script = (await readText(flags.opsFile, dependencies)).toString();
  const pushTo =
    flags.imageRegistry === undefined ? undefined : parseImageReference(`${flags.imageRegistry}:${name}`);
  const baseImage = flags.baseImage ?? 'bitnami/kubectl:latest';
  const objects = ruleObjectsFromScript({
    name,
    namespace,
    alertType: flags.alertType,
    alertStatus: flags.alertStatus ?? 'Firing',
    opsFile: flags.opsFile,
    script,
    opsTarget: opsTarget as OpsTarget,
    labelSelector: parseLabelSelector(flags.labelSelector ?? []),
    image: pushTo === undefined ? baseImage : formatImageReference(pushTo),
    serviceAccount: flags.serviceAccount ?? 'aegis-workflow',
    scriptInImage: pushTo !== undefined,
  });
  const yamlText = objects.map((object) => stringifyYaml(object)).join('---\n');
  const { problems } = lintText(yamlText, `rule ${name}`);
  if (problems.length > 0) {
    for (const problem of problems) dependencies.print(`${formatLintProblem(problem)}\n`);
    throw new AegisError(
      'RULE_LINT_FAILED',
      `the rule built from ${flags.opsFile} has problems; nothing was created`,
    );
  }
  if (flags.dryRun === true || kube === undefined) {
    dependencies.print(yamlText);
    return;
  }
  const rule = objects.at(-1) as AegisAlertOpsRule;
  const template = objects.at(-2) as AegisOpsTemplate;
  const configMap = pushTo === undefined ? objects[0] : undefined;
  for (const [client, object] of [
    [kube.templates, template],
    [kube.rules, rule],
  ] as const) {
    if ((await client.get(namespace, name)) !== undefined)
      throw new AegisError(
        'RULE_EXISTS',
        `${object.kind} ${namespace}/${name} already exists; nothing was created`,
      );
  }
  if (pushTo !== undefined) {
    const digest = await appendFileLayer({
      base: parseImageReference(baseImage),
      target: pushTo,
      path: scriptPathInImage(flags.opsFile),
      content: Buffer.from(script, 'utf8'),
    });
    dependencies.print(
      `pushed ${formatImageReference(pushTo)}@${digest} (${baseImage} + ${scriptPathInImage(flags.opsFile)})\n`,
    );
  }
  if (configMap !== undefined) {
    await kube.createConfigMap(namespace, configMap);
    dependencies.print(`configmap/${scriptConfigMapName(name)} created\n`);
  }
  await kube.templates.create(namespace, template);
  await kube.rules.create(namespace, rule);
  dependencies.print(
    `aegisopstemplate.aegis.io/${name} created\naegisalertopsrule.aegis.io/${name} created\n`,
  );
}

/** The Kubernetes API as `aegis serve` would reach it; the sandbox only when one is running. */
export function connectCliKubernetes(
  config: Pick<
    AegisConfig,
    'sandbox' | 'kubeconfig' | 'stateDir' | 'kubernetesServiceHost' | 'kubernetesServicePort'
  >,
  kubeconfig?: string,
): KubeClients {
  if (kubeconfig !== undefined) return createKubeClients({ paths: [kubeconfig] });
  const target = resolveKubeTarget(config);
  if (target.mode === 'kubeconfig') return createKubeClients({ paths: target.paths });
  if (target.mode === 'in-cluster') return createKubeClients({ inCluster: target });
  const sandboxFile = sandboxKubeconfigPath(config.stateDir);
  if (!existsSync(sandboxFile)) {
    throw new AegisError(
      'KUBE_UNAVAILABLE',
      `no Kubernetes access (no kubeconfig, and no running sandbox at ${sandboxFile}); set KUBECONFIG or start \`aegis serve\``,
    );
  }
  return createKubeClients({ paths: [sandboxFile] });
}

export interface RuleTargetOptions {
  /** Default: AEGIS_NAMESPACE. */
  namespace?: string;
}

/**
 * `aegis rule create FILE`: creates the file's AegisOpsTemplates, then its AegisAlertOpsRules, after linting them
 * (nothing is created when anything is wrong). Objects without a namespace go to `-n` (default AEGIS_NAMESPACE).
 * An object that already exists is an error, as upstream.
 */
export async function createRulesFromFile(
  file: string,
  options: RuleTargetOptions & { defaultNamespace: string },
  kube: RuleKube,
  dependencies: RuleCommandDependencies,
): Promise<void> {
  const { problems, documents } = lintText(await readText(file, dependencies), file);
  if (problems.length > 0) {
    for (const problem of problems) dependencies.print(`${formatLintProblem(problem)}\n`);
    throw new AegisError('RULE_LINT_FAILED', `${file} has problems; nothing was created`);
  }
  const wanted = documents.filter(
    (document) => document.kind === 'AegisOpsTemplate' || document.kind === 'AegisAlertOpsRule',
  );
  if (wanted.length === 0)
    throw new AegisError('RULE_CREATE_USAGE', `${file} holds no AegisAlertOpsRule or AegisOpsTemplate`);
  const ordered = [
    ...wanted.filter((document) => document.kind === 'AegisOpsTemplate'),
    ...wanted.filter((document) => document.kind === 'AegisAlertOpsRule'),
  ];
  for (const { kind, object } of ordered) {
    if (object === undefined) continue;
    const metadata = isObject(object['metadata']) ? object['metadata'] : {};
    const namespace =
      typeof metadata['namespace'] === 'string' && metadata['namespace'] !== ''
        ? metadata['namespace']
        : (options.namespace ?? options.defaultNamespace);
    const body = { ...object, metadata: { ...metadata, namespace } };
    delete (body as { status?: unknown }).status;
    const client = kind === 'AegisOpsTemplate' ? kube.templates : kube.rules;
    try {
      await client.create(namespace, body);
    } catch (error) {
      if (error instanceof AegisError && error.code === customObjectErrorCodes.alreadyExists) {
        throw new AegisError(
          'RULE_EXISTS',
          `${kind} ${namespace}/${String(metadata['name'])} already exists`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    dependencies.print(
      `${kind?.toLowerCase()}.aegis.io/${String(metadata['name'])} created (namespace ${namespace})\n`,
    );
  }
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd((widths[column] ?? 0) + 3))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** `aegis rule get [NAME] [-n NS] [-A]`: NAME STATUS TEMPLATE TEMPLATESTATUS (and NAMESPACE with -A), as upstream. */
export async function getRules(
  name: string | undefined,
  options: RuleTargetOptions & { defaultNamespace: string; allNamespaces?: boolean },
  kube: RuleKube,
  dependencies: RuleCommandDependencies,
): Promise<void> {
  const all = options.allNamespaces === true && name === undefined;
  const namespace = options.namespace ?? options.defaultNamespace;
  let rules: AegisAlertOpsRule[];
  if (name !== undefined) {
    const rule = await kube.rules.get(namespace, name);
    if (rule === undefined)
      throw new AegisError('RULE_NOT_FOUND', `AegisAlertOpsRule ${namespace}/${name} not found`);
    rules = [rule];
  } else {
    rules = await kube.rules.list(all ? undefined : namespace);
  }
  if (rules.length === 0) {
    dependencies.print(all ? 'No rules found.\n' : `No rules found in namespace ${namespace}.\n`);
    return;
  }
  const rows: string[][] = [[...(all ? ['NAMESPACE'] : []), 'NAME', 'STATUS', 'TEMPLATE', 'TEMPLATESTATUS']];
  for (const rule of rules) {
    const ruleNamespace = rule.metadata.namespace ?? namespace;
    const reference = rule.spec.opsTemplate;
    const templateNamespace =
      reference.namespace !== undefined && reference.namespace !== '' ? reference.namespace : ruleNamespace;
    const template = await kube.templates.get(templateNamespace, reference.name);
    rows.push([
      ...(all ? [ruleNamespace] : []),
      rule.metadata.name ?? '',
      rule.status?.status ?? '',
      `${templateNamespace}/${reference.name}`,
      template === undefined ? 'NotExists' : (template.status?.status ?? ''),
    ]);
  }
  dependencies.print(table(rows));
}

/**
 * `aegis rule delete NAME [-n NS]`: deletes the rule, then its template, as upstream, except that a template
 * another rule still uses is kept.
 */
export async function deleteRule(
  name: string,
  options: RuleTargetOptions & { defaultNamespace: string },
  kube: RuleKube,
  dependencies: RuleCommandDependencies,
): Promise<void> {
  const namespace = options.namespace ?? options.defaultNamespace;
  const rule = await kube.rules.get(namespace, name);
  if (rule === undefined)
    throw new AegisError('RULE_NOT_FOUND', `AegisAlertOpsRule ${namespace}/${name} not found`);
  await kube.rules.delete(namespace, name);
  dependencies.print(`aegisalertopsrule.aegis.io/${name} deleted (namespace ${namespace})\n`);
  const reference = rule.spec.opsTemplate;
  const templateNamespace =
    reference.namespace !== undefined && reference.namespace !== '' ? reference.namespace : namespace;
  const users = (await kube.rules.list()).filter((other) => {
    const otherNamespace = other.metadata.namespace ?? '';
    const target = other.spec.opsTemplate;
    const otherTemplateNamespace =
      target.namespace !== undefined && target.namespace !== '' ? target.namespace : otherNamespace;
    const same = otherNamespace === namespace && other.metadata.name === name;
    return !same && target.name === reference.name && otherTemplateNamespace === templateNamespace;
  });
  if (users.length > 0) {
    const names = users
      .map((other) => `${other.metadata.namespace ?? ''}/${other.metadata.name ?? ''}`)
      .join(', ');
    dependencies.print(`aegisopstemplate.aegis.io/${reference.name} kept: still used by ${names}\n`);
    return;
  }
  const deleted = await kube.templates.delete(templateNamespace, reference.name);
  dependencies.print(
    deleted
      ? `aegisopstemplate.aegis.io/${reference.name} deleted (namespace ${templateNamespace})\n`
      : `aegisopstemplate.aegis.io/${reference.name} did not exist (namespace ${templateNamespace})\n`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Command line

export interface RuleCommandOptions {
  namespace?: string;
  kubeconfig?: string;
}

export interface RuleCommandHandlers {
  ruleLint(files: string[]): Promise<void>;
  ruleCreate(file: string, options: RuleCommandOptions): Promise<void>;
  ruleCreateFromScript(name: string, flags: RuleFromScriptFlags): Promise<void>;
  ruleGet(name: string | undefined, options: RuleCommandOptions & { allNamespaces?: boolean }): Promise<void>;
  ruleDelete(name: string, options: RuleCommandOptions): Promise<void>;
}

export { addRuleCommands } from './command-registrations.js';
export {
  formatLintProblem,
  lintRuleFiles,
  lintText,
  type LintProblem,
  type RuleCommandDependencies,
} from './rule-lint.js';
