/** Progress in percent (0 to 100, two decimals) from unique creators over the target. */
export function progressOf(processedResults: number, targetResults: number): number {
  if (targetResults <= 0) return 100;
  return Math.min(100, Math.round((processedResults / targetResults) * 10_000) / 100);
}
