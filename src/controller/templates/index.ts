/** AegisOpsTemplate handling: the template reconciler (Recorded/Invalid with the manifest's error and line). */
export { createTemplateReconciler, judgeTemplate } from './template-reconciler.js';
export { startTemplateController, templateControllerName } from './template-controller.js';
