export { checkApiServer } from './check-api-server.js';
export { ensureNamespace } from './ensure-namespace.js';
export {
  crdModel,
  defaultCrdDirectory,
  installCrds,
  readCrdManifests,
  type CrdInstallResult,
} from './install-crds.js';
export {
  createKubeClients,
  loadKubeConfig,
  type KubeClients,
  type KubeconfigSource,
} from './kube-clients.js';
export { describeKubeError, kubeStatusCode } from './kube-error.js';
export {
  resolveKubeTarget,
  sandboxKubeconfigPath,
  serviceAccountDirectory,
  type KubeTarget,
  type KubeTargetProbe,
} from './resolve-kube-target.js';
export { createAegisAlertStore } from './aegis-alert-store.js';
export {
  createCustomObjectClient,
  customObjectErrorCodes,
  type CustomObjectClient,
  type CustomResourceType,
} from './custom-object-client.js';
export { createTemplateStatusStore, createWorkflowStore } from './workflow-store.js';
export {
  createEventRecorder,
  type EventRecorderOptions,
  type EventSubjectObject,
  type KubeEvent,
  type KubeEventRecorder,
} from './event-recorder.js';
export { aegisSilenceType, createAegisSilenceStore } from './aegis-silence-store.js';
export { createAlertSlackStore } from './alert-slack-store.js';
export { createClusterReader } from './cluster-reader.js';
export { createNodePodClient, nodePodErrorCodes, type NodePodClient } from './node-pod-client.js';
export { createDiagnosisCluster } from './diagnosis-cluster.js';
