/**
 * The definitions of the `chat`, `rule` and `template` commands. Kept apart from their implementations (and
 * importing them as types only) so that building the command line loads neither langchain nor client-node:
 * `aegis version` and `aegis --help` start at once, and each command loads what it needs when it runs.
 */
import type { Command } from 'commander';
import { AegisError } from '../core/errors.js';
import type { ChatCommandHandlers, ChatFlags } from './chat-command.js';
import type { DiagnoseCommandHandlers, DiagnoseOptions } from './diagnose-command.js';
import type { CheckCommandHandlers, CheckCommandOptions, CheckNodeOptions } from './check-commands.js';
import type { RuleCommandHandlers, RuleCommandOptions, RuleFromScriptFlags } from './rule-commands.js';
import type { TemplateCommandHandlers, TemplateRenderOptions } from './template-commands.js';

export function addChatCommand(program: Command, handlers: ChatCommandHandlers): void {
  program
    .command('chat')
    .description(
      'Talk with the Aegis assistant in the terminal (needs an LLM: OPENAI_BASE_URL, AEGIS_LLM_MODEL)',
    )
    .option('--as <user>', 'who is asking; proposals are requested in this name (default: your OS user name)')
    .option('--alert <name>', 'talk about this AegisAlert, as in its Slack thread')
    .option(
      '--kubeconfig <file>',
      'kubeconfig to use (default: KUBECONFIG, the in-cluster account, or the sandbox)',
    )
    .action(async (flags: ChatFlags) => await handlers.chat(flags));
}

/** Adds `aegis rule lint|create|get|delete` to the program; the handlers come from main.ts. */
export function addRuleCommands(program: Command, handlers: RuleCommandHandlers): void {
  const rule = program.command('rule').description('Work with AegisAlertOpsRules');
  const namespaceHelp = 'namespace (default: AEGIS_NAMESPACE)';
  const kubeconfigHelp = 'kubeconfig file (default: as `aegis serve` finds the cluster)';
  rule
    .command('lint')
    .description('Check rules and templates in YAML files as the controller would; exit 1 on any problem')
    .argument('<files...>', 'YAML files with AegisAlertOpsRule and AegisOpsTemplate documents')
    .action(async (files: string[]) => await handlers.ruleLint(files));
  rule
    .command('create')
    .description(
      'Create a rule: from a shell script (NAME --alert-type T --ops-file F, as upstream aegiscli), or the AegisOpsTemplates and AegisAlertOpsRules of a YAML file (linted first)',
    )
    .argument('<name|file>', 'the rule name with --ops-file, else a YAML file with the rule and its template')
    .option('-n, --namespace <namespace>', `${namespaceHelp}, for objects without one`)
    .option('--kubeconfig <file>', kubeconfigHelp)
    .option('--alert-type <type>', 'alert type the rule matches (with --ops-file)')
    .option('--alert-status <status>', 'alert status the rule matches (with --ops-file)', 'Firing')
    .option('--ops-file <script>', 'shell script to run for each matching alert, shipped in a ConfigMap')
    .option('--ops-target <kind>', "Node: run on the alert's node; Pod: get the pod in AEGIS_POD_*", 'Node')
    .option(
      '--label-selector <k=v>',
      'only alerts with this label (repeatable; upstream\'s "k1:v1;k2:v2" works too)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--base-image <ref>',
      'image the script runs in (with --image-registry: REGISTRY/REPO:TAG to build on)',
    )
    .option(
      '--image-registry <host/repo>',
      'bake the script into --base-image as a layer and push it as HOST/REPO:NAME, instead of a ConfigMap',
    )
    .option('--service-account <name>', 'service account of the workflow', 'aegis-workflow')
    .option('--dry-run', 'print the ConfigMap, template and rule instead of creating them')
    .action(async (target: string, options: RuleCommandOptions & Partial<RuleFromScriptFlags>) => {
      if (options.opsFile === undefined) {
        if (options.alertType !== undefined)
          throw new AegisError(
            'RULE_CREATE_USAGE',
            '--alert-type needs --ops-file (or give a YAML file without flags)',
          );
        return await handlers.ruleCreate(target, options);
      }
      if (options.alertType === undefined)
        throw new AegisError(
          'RULE_CREATE_USAGE',
          '--ops-file needs --alert-type (the alert type the rule matches)',
        );
      return await handlers.ruleCreateFromScript(target, {
        ...options,
        alertType: options.alertType,
        opsFile: options.opsFile,
      });
    });
  rule
    .command('get')
    .description('List rules with their status and their template')
    .argument('[name]', 'one rule')
    .option('-n, --namespace <namespace>', namespaceHelp)
    .option('-A, --all-namespaces', 'rules of every namespace')
    .option('--kubeconfig <file>', kubeconfigHelp)
    .action(
      async (name: string | undefined, options: RuleCommandOptions & { allNamespaces?: boolean }) =>
        await handlers.ruleGet(name, options),
    );
  rule
    .command('delete')
    .description('Delete a rule, and its template unless another rule uses it')
    .argument('<name>', 'the rule')
    .option('-n, --namespace <namespace>', namespaceHelp)
    .option('--kubeconfig <file>', kubeconfigHelp)
    .action(async (name: string, options: RuleCommandOptions) => await handlers.ruleDelete(name, options));
}

/** Adds `aegis template render` to the program; the handler comes from main.ts. */
export function addTemplateCommands(program: Command, handlers: TemplateCommandHandlers): void {
  const template = program.command('template').description('Work with AegisOpsTemplates');
  template
    .command('render')
    .description(
      'Render a template for an alert, without a cluster: prints the Workflow and the scripts it would run, or why nothing would run',
    )
    .requiredOption('--template <file>', 'an AegisOpsTemplate (YAML) or a raw Argo Workflow manifest')
    .requiredOption(
      '--alert <file>',
      'an AegisAlert (YAML/JSON), a custom-format alert JSON or an Alertmanager webhook body',
    )
    .option('-n, --namespace <namespace>', 'namespace the alert is published in (default: AEGIS_NAMESPACE)')
    .action(async (options: TemplateRenderOptions) => await handlers.templateRender(options));
}

/** Adds `aegis check node|list` to the program; the handlers come from main.ts. */
export function addCheckCommands(program: Command, handlers: CheckCommandHandlers): void {
  const check = program.command('check').description('Run and list node and cluster health checks');
  const namespaceHelp = 'namespace of the health checks (default: AEGIS_HEALTHCHECK_NAMESPACE)';
  const kubeconfigHelp = 'kubeconfig file (default: as `aegis serve` finds the cluster)';
  check
    .command('node')
    .description("Check one node now with a cluster check's checker pod (an AegisNodeHealthCheck)")
    .argument('<node>', 'the node')
    .option('--from <check>', 'the AegisClusterHealthCheck whose checker to run (default: the only one)')
    .option(
      '--wait',
      'wait for the result and print it; exit 1 when a problem was found or the node could not be checked',
    )
    .option('--timeout <seconds>', 'how long --wait waits (default 360)', (value: string) => Number(value))
    .option('-n, --namespace <namespace>', namespaceHelp)
    .option('--kubeconfig <file>', kubeconfigHelp)
    .action(async (node: string, options: CheckNodeOptions) => await handlers.checkNode(node, options));
  check
    .command('list')
    .description('List cluster health checks with their schedule and last round')
    .option('-n, --namespace <namespace>', namespaceHelp)
    .option('-A, --all-namespaces', 'checks of every namespace')
    .option('--kubeconfig <file>', kubeconfigHelp)
    .action(
      async (options: CheckCommandOptions & { allNamespaces?: boolean }) => await handlers.checkList(options),
    );
}

/** Adds `aegis diagnose <kind> <name>` to the program; the handler comes from main.ts. */
export function addDiagnoseCommand(program: Command, handlers: DiagnoseCommandHandlers): void {
  program
    .command('diagnose')
    .description(
      'Diagnose a node, pod, pytorchjob or workflow (creates an AegisDiagnosis in AEGIS_NAMESPACE)',
    )
    .argument('<kind>', 'node, pod, pytorchjob or workflow')
    .argument('<name>', 'name of the object')
    .option('-n, --namespace <namespace>', 'namespace of the object (default: default; ignored for a node)')
    .option('--wait', 'wait for the result and print it; exit 1 when unhealthy or when the diagnosis failed')
    .option('--timeout <seconds>', 'how long --wait waits (default 360)', (value: string) => Number(value))
    .option('--language <language>', 'language of the summary (default: AEGIS_LANGUAGE)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: as `aegis serve` finds the cluster)')
    .action(
      async (kind: string, name: string, options: DiagnoseOptions) =>
        await handlers.diagnose(kind, name, options),
    );
}
