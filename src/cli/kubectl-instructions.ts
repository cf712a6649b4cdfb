/** What to tell a person so that kubectl talks to the sandbox: the exact commands, ready to paste. */
export function kubectlInstructions(apiServerUrl: string, kubeconfigPath: string): string {
  return [
    `Sandbox Kubernetes API server: ${apiServerUrl}`,
    'Point kubectl at it with:',
    '',
    `  export KUBECONFIG=${shellQuote(kubeconfigPath)}`,
    '  kubectl get nodes',
    '  kubectl get crds',
    '',
  ].join('\n');
}

/** Quote a path for a POSIX shell only when it needs it. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
