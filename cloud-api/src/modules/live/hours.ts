// Opening hours are written as China times of day: "10:00-14:00,17:00-21:30".

/** The opening ranges "10:00-14:00,17:00-21:30" as minutes of a China day. */
function ranges(hours: string): [number, number][] {
  return hours.split(',').map(
    (range) =>
      range.split('-').map((t) => {
        const [h, mm] = t.split(':').map(Number);
        return (h ?? 0) * 60 + (mm ?? 0);
      }) as [number, number],
  );
}
const chinaMinutes = (at: Date) => ((at.getUTCHours() + 8) % 24) * 60 + at.getUTCMinutes();

/** Whether a China time of day falls in "10:00-14:00,17:00-21:30". */
export function withinHours(hours: string, at: Date): boolean {
  const minutes = chinaMinutes(at);
  return ranges(hours).some(([from, to]) => minutes >= from && minutes < to);
}

/** When the opening range that `at` falls in began (null when the shop is closed at `at`). */
export function openedAt(hours: string, at: Date): Date | null {
  const minutes = chinaMinutes(at);
  const range = ranges(hours).find(([from, to]) => minutes >= from && minutes < to);
  if (!range) return null;
  const start = new Date(at);
  start.setUTCSeconds(0, 0);
  return new Date(start.getTime() - (minutes - range[0]) * 60_000);
}
