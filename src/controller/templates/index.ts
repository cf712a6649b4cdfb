/** AegisOpsTemplate handling: the template reconciler (Recorded/Invalid with the manifest's error and line). */
export { createTemplateReconciler } from './template-reconciler.js';
export { judgeTemplate } from '../lint/index.js';
export { startTemplateController, templateControllerName } from './template-controller.js';
