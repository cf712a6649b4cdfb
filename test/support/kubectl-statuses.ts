/** The HTTP statuses kubectl logged at `-v=6` ("GET http://… 200 OK in 3 milliseconds"), in order. */
export function kubectlStatuses(stderr: string): number[] {
  return [...stderr.matchAll(/round_trippers\.go:\d+\] [A-Z]+ \S+ (\d{3}) /g)].map((match) => Number(match[1]));
}
