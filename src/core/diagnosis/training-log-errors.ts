/** NCCL, CUDA and out-of-memory errors in training logs (substring search, linear in the input). */
export interface TrainingLogError {
  readonly code: 'NcclError' | 'CudaError' | 'TrainingOutOfMemory';
  readonly line: string;
}

const needles: readonly [TrainingLogError['code'], readonly string[]][] = [
  [
    'TrainingOutOfMemory',
    ['cuda out of memory', 'outofmemoryerror', 'cuda error: out of memory', 'cannot allocate memory'],
  ],
  [
    'NcclError',
    [
      'ncclsystemerror',
      'ncclinternalerror',
      'ncclunhandledcudaerror',
      'ncclremoteerror',
      'nccl error',
      'nccl timeout',
      'watchdog caught collective operation timeout',
      'nccl warn',
    ],
  ],
  [
    'CudaError',
    [
      'cuda error',
      'cudaerror',
      'cuda driver',
      'cublas_status',
      'cudnn_status',
      'device-side assert',
      'illegal memory access',
    ],
  ],
];

export function findTrainingErrors(lines: readonly string[]): TrainingLogError[] {
  const found: TrainingLogError[] = [];
  for (const line of lines) {
    const lower = line.toLowerCase();
    const hit = needles.find(([, list]) => list.some((needle) => lower.includes(needle)));
    if (hit !== undefined) found.push({ code: hit[0], line });
  }
  return found;
}
