/**
 * Which service account a rendered Workflow's pods run as, and whether that is allowed. A template author could
 * otherwise run the SOP as any account of the namespace, the controller's own `aegis` included. Argo takes the
 * account from `spec.serviceAccountName` (the namespace's `default` when unset), a template's own
 * `serviceAccountName`, and `executor.serviceAccountName`; a `podSpecPatch` could set it too, so a patch that
 * mentions a service account is refused as well. A Workflow that runs a WorkflowTemplate by reference runs
 * what that template says, which no one checked here, so it is refused too.
 */

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Why `workflow` may not run with the allowed accounts; undefined when it may. */
export function workflowServiceAccountProblem(
  workflow: Readonly<Record<string, unknown>>,
  allowed: ReadonlySet<string>,
): string | undefined {
  const setting = `allowed: ${[...allowed].join(', ') || '(none)'}; set AEGIS_WORKFLOW_SERVICE_ACCOUNTS to allow more`;
  const spec = record(workflow['spec']) ?? {};
  const main = spec['serviceAccountName'];
  const account = typeof main === 'string' && main !== '' ? main : 'default';
  if (!allowed.has(account)) {
    return main === undefined || main === ''
      ? `the Workflow sets no spec.serviceAccountName, so it would run as the namespace's "default" service account (${setting})`
      : `the Workflow runs as service account "${account}" (spec.serviceAccountName), which is not allowed (${setting})`;
  }
  if (spec['workflowTemplateRef'] !== undefined) {
    return 'the Workflow runs a WorkflowTemplate by reference (spec.workflowTemplateRef), whose service account and steps Aegis cannot check; put the steps in the AegisOpsTemplate';
  }
  const places: Array<[string, Record<string, unknown> | undefined]> = [
    ['spec.executor', record(spec['executor'])],
    ['spec', spec],
  ];
  const templates = Array.isArray(spec['templates']) ? spec['templates'] : [];
  templates.forEach((template, index) => {
    const item = record(template);
    places.push(
      [`spec.templates[${index}]`, item],
      [`spec.templates[${index}].executor`, record(item?.['executor'])],
    );
  });
  for (const [path, place] of places) {
    if (place === undefined) continue;
    const name = place['serviceAccountName'];
    if (path !== 'spec' && typeof name === 'string' && name !== '' && !allowed.has(name)) {
      return `${path}.serviceAccountName is "${name}", which is not allowed (${setting})`;
    }
    const patch = place['podSpecPatch'];
    if (typeof patch === 'string' && /serviceaccount/i.test(patch)) {
      return `${path}.podSpecPatch sets a service account; refused (the account comes from serviceAccountName only)`;
    }
  }
  return undefined;
}
