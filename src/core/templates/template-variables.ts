/**
 * The variables a template sees, built as upstream builds them (later sources override earlier ones):
 * `InvolvedObjectKind`, `InvolvedObjectName`, `InvolvedObjectNamespace`, `InvolvedObjectNode`; every details key
 * (`spec.details`, else upstream's `spec.detials`); every metadata annotation (upstream's system parameters such
 * as `cluster`); `AlertName` and `AlertNamespace`. Aegis adds `Alert`, the whole alert, for richer templates
 * (`{{.Alert.spec.severity}}`); it comes first, so an upstream variable of the same name wins.
 *
 * Unset fields are left out rather than set to "" (upstream), so a template that uses one fails with "not
 * defined" instead of running a command with an empty argument. All variables are checked alike when
 * substituted, system parameters included (they are normally plain words anyway).
 */

/** Variables by name. Objects have no prototype, so a key such as `__proto__` or `constructor` is plain data. */
export type TemplateVariables = Readonly<Record<string, unknown>>;

/** The parts of an AegisAlert that templates read. */
export type TemplateAlert = {
  metadata: { name: string; namespace: string; annotations?: Readonly<Record<string, string>> | undefined };
  spec: {
    type: string;
    status: string;
    involvedObject?:
      | {
          kind?: string | undefined;
          name?: string | undefined;
          namespace?: string | undefined;
          node?: string | undefined;
        }
      | undefined;
    details?: Readonly<Record<string, string>> | undefined;
    detials?: Readonly<Record<string, string>> | undefined;
    severity?: string | undefined;
  };
};

function emptyVariables(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined || value === '') return;
  target[key] = value;
}

export function buildTemplateVariables(alert: TemplateAlert): TemplateVariables {
  const variables = emptyVariables();
  variables['Alert'] = structuredClone(alert);
  const involved = alert.spec.involvedObject;
  assign(variables, 'InvolvedObjectKind', involved?.kind);
  assign(variables, 'InvolvedObjectName', involved?.name);
  assign(variables, 'InvolvedObjectNamespace', involved?.namespace);
  assign(variables, 'InvolvedObjectNode', involved?.node);
  const details = alert.spec.details ?? alert.spec.detials ?? {};
  for (const [key, value] of Object.entries(details)) assign(variables, key, value);
  for (const [key, value] of Object.entries(alert.metadata.annotations ?? {})) assign(variables, key, value);
  assign(variables, 'AlertName', alert.metadata.name);
  assign(variables, 'AlertNamespace', alert.metadata.namespace);
  return variables;
}

/** Variables for an operator-initiated run: exactly the parameters given (a value "" counts as unset). */
export function buildRunVariables(parameters: Readonly<Record<string, string>>): TemplateVariables {
  const variables = emptyVariables();
  for (const [key, value] of Object.entries(parameters)) assign(variables, key, value);
  return variables;
}
