// ISO 8601 durations as the workflow schema allows them: weeks, days, hours, minutes and seconds, whole numbers.

const units = [['W', 604_800_000], ['D', 86_400_000], ['H', 3_600_000], ['M', 60_000], ['S', 1000]] as const;
const shape = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds in `text` (P3D, PT2H, P1DT12H); throws on anything else (the schema refuses it at save). */
export function durationMs(text: string): number {
  const match = shape.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) throw new Error(`"${text}" is not an ISO 8601 duration of weeks, days, hours, minutes and seconds`);
  return units.reduce((sum, [, ms], i) => sum + Number(match[i + 1] ?? 0) * ms, 0);
}
