/**
 * The parts of Kubernetes objects the analyzers read, as plain JSON (what the API server sends). Every field is
 * optional: an analyzer never trusts a field to be present.
 */
export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  readonly deletionTimestamp?: string;
}

export interface StatusCondition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly lastHeartbeatTime?: string;
}

export interface ContainerStateDetails {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly running?: { readonly startedAt?: string };
  readonly terminated?: {
    readonly reason?: string;
    readonly message?: string;
    readonly exitCode?: number;
    readonly signal?: number;
    readonly finishedAt?: string;
  };
}

export interface ContainerStatus {
  readonly name?: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly image?: string;
  readonly containerID?: string;
  readonly state?: ContainerStateDetails;
  readonly lastState?: ContainerStateDetails;
}

export interface PodObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly nodeName?: string;
    readonly serviceAccountName?: string;
    readonly containers?: readonly { readonly name?: string; readonly image?: string }[];
    readonly initContainers?: readonly { readonly name?: string; readonly image?: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly message?: string;
    readonly conditions?: readonly StatusCondition[];
    readonly containerStatuses?: readonly ContainerStatus[];
    readonly initContainerStatuses?: readonly ContainerStatus[];
  };
}

export interface NodeObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly unschedulable?: boolean;
    readonly taints?: readonly { readonly key?: string; readonly value?: string; readonly effect?: string }[];
  };
  readonly status?: {
    readonly conditions?: readonly StatusCondition[];
    readonly capacity?: Readonly<Record<string, string>>;
    readonly allocatable?: Readonly<Record<string, string>>;
  };
}

export interface ReplicaSpec {
  readonly replicas?: number;
}

/** kubeflow.org/v1 PyTorchJob. */
export interface PyTorchJobObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly pytorchReplicaSpecs?: Readonly<Record<string, ReplicaSpec | undefined>>;
    readonly runPolicy?: { readonly backoffLimit?: number };
  };
  readonly status?: {
    readonly conditions?: readonly StatusCondition[];
    readonly replicaStatuses?: Readonly<
      Record<
        string,
        { readonly active?: number; readonly succeeded?: number; readonly failed?: number } | undefined
      >
    >;
  };
}

export interface WorkflowNodeStatus {
  readonly id?: string;
  readonly name?: string;
  readonly displayName?: string;
  readonly type?: string;
  readonly templateName?: string;
  readonly phase?: string;
  readonly message?: string;
  readonly outputs?: { readonly exitCode?: string };
}

/** argoproj.io/v1alpha1 Workflow. */
export interface WorkflowObject {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly serviceAccountName?: string;
    readonly entrypoint?: string;
    readonly templates?: readonly { readonly name?: string }[];
    readonly workflowTemplateRef?: { readonly name?: string };
  };
  readonly status?: {
    readonly phase?: string;
    readonly message?: string;
    readonly progress?: string;
    readonly nodes?: Readonly<Record<string, WorkflowNodeStatus | undefined>>;
    readonly conditions?: readonly StatusCondition[];
  };
}
