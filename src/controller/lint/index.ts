/**
 * Pure checks of Aegis objects (no Kubernetes client): what `aegis rule lint` shares with the reconcilers.
 * Nothing here may import an SDK or a module that does (see docs/decisions/0013-start-and-stop.md).
 */
export { judgeTemplate } from './judge-template.js';
