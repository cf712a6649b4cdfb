/**
 * GPU error lines in kernel messages, events or collector output: NVIDIA Xid errors (with their code) and the
 * other failures that take a GPU out (fallen off the bus, ECC, nvidia-smi failing). Substring search only.
 */
export interface GpuErrorLine {
  readonly kind: 'xid' | 'gpu';
  /** The Xid code, e.g. 79, when the line carries one. */
  readonly xid?: number;
  readonly line: string;
}

const gpuNeedles = [
  'fallen off the bus',
  'gpu has fallen',
  'uncorrectable ecc',
  'double bit ecc',
  'row remapping failure',
  'nvidia-smi has failed',
  'unable to determine the device handle',
  'gpu is lost',
  'nvlink error',
];

/** Meaning of the Xid codes operators meet most. */
const xidMeanings: Readonly<Record<number, string>> = {
  13: 'graphics engine exception (usually the application)',
  31: 'GPU memory page fault (usually the application)',
  43: 'GPU stopped processing (application or driver)',
  45: 'preemptive cleanup after an earlier error',
  48: 'double-bit ECC error (replace or reset the GPU)',
  61: 'internal micro-controller breakpoint (reset the GPU)',
  62: 'internal micro-controller halt (reset the GPU)',
  63: 'ECC page retirement or row remapping event',
  64: 'ECC page retirement or row remapping failure (replace the GPU)',
  74: 'NVLink error',
  79: 'GPU has fallen off the bus (hardware or power; drain the node)',
  92: 'high single-bit ECC error rate',
  94: 'contained ECC error (restart the application)',
  95: 'uncontained ECC error (reset the GPU)',
  119: 'GSP RPC timeout (reset the GPU)',
};

export function xidMeaning(code: number): string {
  return xidMeanings[code] ?? 'see the NVIDIA Xid catalogue';
}

export function findGpuErrors(lines: readonly string[]): GpuErrorLine[] {
  const found: GpuErrorLine[] = [];
  for (const line of lines) {
    const lower = line.toLowerCase();
    const at = lower.indexOf('xid');
    if (at >= 0) {
      found.push({ kind: 'xid', line, ...xidCode(line.slice(at + 3, at + 40)) });
      continue;
    }
    if (gpuNeedles.some((needle) => lower.includes(needle))) found.push({ kind: 'gpu', line });
  }
  return found;
}

/** `NVRM: Xid (PCI:0000:3b:00): 79, pid=…` → 79: the first number after the PCI address or a colon. */
function xidCode(after: string): { xid?: number } {
  const withoutPci = after.replace(/\(pci:[^)]*\)/i, '');
  const match = /(\d+)/.exec(withoutPci);
  return match === null ? {} : { xid: Number(match[1]) };
}
