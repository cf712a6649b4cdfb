/**
 * Whether an AegisOpsTemplate's manifest is usable: the check the template reconciler records and
 * `aegis rule lint` prints. Pure and free of any SDK, so that lint starts without loading client-node.
 */
import { validateOpsTemplate } from '../../core/templates/index.js';
import type { TemplateObject, Verdict } from '../rules/index.js';

export function judgeTemplate(template: Pick<TemplateObject, 'spec'>): Verdict {
  const manifest = template.spec?.manifest;
  if (typeof manifest !== 'string' || manifest.trim() === '') {
    return { valid: false, message: 'spec.manifest: is required (an Argo Workflow as YAML)' };
  }
  try {
    const result = validateOpsTemplate(manifest);
    if (result.ok) return { valid: true, message: 'the manifest renders an Argo Workflow' };
    const where =
      result.line === undefined || result.message.includes(`line ${result.line}`)
        ? ''
        : ` (line ${result.line})`;
    return { valid: false, message: `spec.manifest: ${result.message}${where}` };
  } catch (error) {
    return {
      valid: false,
      message: `spec.manifest could not be checked: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
