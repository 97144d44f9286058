// Opening hours: China times of day, "10:00-14:00,17:00-21:30". A range may run past midnight
// ("17:00-02:00": a night market), and "00:00-24:00" is all day.
// zod must be configured before any schema is built (jitless is read at construction).
import './zod.js';
import { z } from 'zod';

const DAY = 24 * 60;

/** Each range as [from, to) in minutes of the day; `to` < `from` means the next day. */
export function openingRanges(hours: string): [number, number][] {
  return hours.split(',').map(
    (range) =>
      range.split('-').map((t) => {
        const [h, mm] = t.split(':').map(Number);
        return (h ?? 0) * 60 + (mm ?? 0);
      }) as [number, number],
  );
}

const chinaMinutes = (at: Date) => ((at.getUTCHours() + 8) % 24) * 60 + at.getUTCMinutes();

/** How many minutes into the range `at` falls (null: not in it). */
function into([from, to]: [number, number], minutes: number): number | null {
  if (from < to) return minutes >= from && minutes < to ? minutes - from : null;
  // Past midnight: from today's `from`, or before tomorrow's `to`.
  if (minutes >= from) return minutes - from;
  if (minutes < to) return minutes + DAY - from;
  return null;
}

/** Whether the shop is open at `at`. */
export function withinHours(hours: string, at: Date): boolean {
  const minutes = chinaMinutes(at);
  return openingRanges(hours).some((r) => into(r, minutes) !== null);
}

/** When the opening range that `at` falls in began (null when the shop is closed at `at`). */
export function openedAt(hours: string, at: Date): Date | null {
  const minutes = chinaMinutes(at);
  const since = openingRanges(hours)
    .map((r) => into(r, minutes))
    .find((m): m is number => m !== null);
  if (since === undefined) return null;
  const start = new Date(at);
  start.setUTCSeconds(0, 0);
  return new Date(start.getTime() - since * 60_000);
}

const FORMAT = '营业时间格式应为 10:00-14:00,17:00-21:00（跨午夜写作 17:00-02:00）';

export const OpeningHoursSchema = z
  .string()
  .regex(/^(\d{2}:\d{2}-\d{2}:\d{2})(,\d{2}:\d{2}-\d{2}:\d{2})*$/, FORMAT)
  .refine(
    (s) =>
      s.split(/[,-]/).every((t, i) => {
        const [h, m] = t.split(':').map(Number) as [number, number];
        // 24:00 only closes a range (all day: 00:00-24:00).
        return m < 60 && (h < 24 || (h === 24 && m === 0 && i % 2 === 1));
      }),
    '营业时间中的时刻无效（小时 00–23，分钟 00–59）',
  )
  .refine((s) => openingRanges(s).every(([from, to]) => from !== to), '营业时间的开始与结束不能相同');
