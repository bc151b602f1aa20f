/** Median, min and max of a list of measurements. */
export function statistics(xs: readonly number[]): { median: number; min: number; max: number } {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}
