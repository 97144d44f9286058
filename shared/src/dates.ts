import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

/**
 * Calendar dates are kept as YYYY-MM-DD in China Standard Time. China has used UTC+8 all year
 * since 1991, so a fixed offset is exact and needs no time-zone database (which WeChat's JS
 * engine may lack).
 */
const CST_OFFSET_MINUTES = 8 * 60;

/** The calendar date in China at an instant. */
export function chinaDate(at: Date): string {
  return dayjs.utc(at).add(CST_OFFSET_MINUTES, 'minute').format('YYYY-MM-DD');
}

/** Adds whole months to a date (clamped to the month's end, as 31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  return dayjs.utc(date).add(months, 'month').format('YYYY-MM-DD');
}

export function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}

/** The instant a China calendar date begins. */
export function chinaMidnight(date: string): Date {
  return dayjs.utc(date).subtract(CST_OFFSET_MINUTES, 'minute').toDate();
}

/** "2026年11月22日" */
export function formatChineseDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** "2026-11-22 14:05" in China time (the form WeChat's subscribe-message time fields take). */
export function chinaDateTime(at: Date): string {
  return dayjs.utc(at).add(CST_OFFSET_MINUTES, 'minute').format('YYYY-MM-DD HH:mm');
}

/** "2026年11月22日 14:05" in China time, for "last updated" lines. */
export function formatChineseDateTime(iso: string): string {
  const at = dayjs.utc(iso).add(CST_OFFSET_MINUTES, 'minute');
  return `${at.year()}年${at.month() + 1}月${at.date()}日 ${at.format('HH:mm')}`;
}
