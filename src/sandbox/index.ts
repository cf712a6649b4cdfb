/** Public face of the sandbox Kubernetes API server. */
export interface SandboxOptions {
  /** Interface to bind; loopback by default. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Simulated nodes to seed (default 3, the last ones with `nvidia.com/gpu` capacity). */
  nodes?: number;
  /** Also write the kubeconfig to this file. */
  kubeconfigOut?: string;
  /** Run the simulated kubelet and Argo controller (default true). */
  simulate?: boolean;
  /** Changes kept for watches that resume from a resourceVersion (default 20,000); older ones get 410 Gone. */
  watchHistory?: number;
  /**
   * Fault injection (off by default): `true` serves the admin routes under `/_sandbox/` with an empty plan; a
   * plan object also starts with it. See docs/sandbox.md, "Fault injection".
   */
  faults?: boolean | FaultPlanInput;
}

/** A fault plan as the admin route and the `--faults` file take it (validated when applied). */
export type FaultPlanInput = Record<string, unknown>;

export interface SandboxHandle {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** A kubeconfig (YAML) that kubectl and @kubernetes/client-node both accept. */
  readonly kubeconfig: string;
  readonly kubeconfigPath: string | undefined;
  close(): Promise<void>;
}

export { startSandbox } from './start-sandbox.js';
export { parseFaultPlan, type FaultPlan, type FaultRule } from './faults/fault-plan.js';
