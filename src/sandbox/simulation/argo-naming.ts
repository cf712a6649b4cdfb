/** FNV-1a, 32 bit: the hash Argo uses for node ids and pod names. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Node id: the workflow name for the root node, else `<workflow>-<fnv32a(nodeName)>`. */
export function argoNodeId(workflowName: string, nodeName: string): string {
  return nodeName === workflowName ? workflowName : `${workflowName}-${fnv32a(nodeName)}`;
}

/** Pod name with POD_NAMES=v2: `<workflow>-<template>-<fnv32a(nodeName)>`, or the workflow name for a single-pod workflow. */
export function argoPodName(workflowName: string, templateName: string, nodeName: string): string {
  if (nodeName === workflowName) return workflowName;
  const prefix = `${workflowName}-${templateName}`.slice(0, 242);
  return `${prefix}-${fnv32a(nodeName)}`;
}
