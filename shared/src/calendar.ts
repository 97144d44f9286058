import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

/**
 * Official public holidays and make-up working days (调休上班) of mainland China, as the State
 * Council's yearly notice announces them. A year missing here is counted by weekends only, and
 * results say so (`complete: false`), so a deadline is never silently wrong.
 */
export const HOLIDAY_CALENDAR: Record<number, { holidays: string[]; workdays: string[] }> = {
  // 国务院办公厅关于2026年部分节假日安排的通知
  2026: {
    holidays: [
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const holidays = new Set(Object.values(HOLIDAY_CALENDAR).flatMap((y) => y.holidays));
const workdays = new Set(Object.values(HOLIDAY_CALENDAR).flatMap((y) => y.workdays));

export function isWorkingDay(date: string): boolean {
  if (workdays.has(date)) return true;
  if (holidays.has(date)) return false;
  const dow = dayjs.utc(date).day();
  return dow !== 0 && dow !== 6;
}

/** Whether the calendar of a year is known (its official notice is in the table). */
export const calendarKnown = (year: number) => year in HOLIDAY_CALENDAR;

/**
 * The date `n` working days after `date` (the day itself not counted), as legal time limits in
 * working days are reckoned; `complete` is false if a year without an official table was crossed.
 */
export function addWorkingDays(date: string, n: number): { date: string; complete: boolean } {
  let d = dayjs.utc(date);
  let left = n;
  let complete = calendarKnown(d.year());
  while (left > 0) {
    d = d.add(1, 'day');
    if (!calendarKnown(d.year())) complete = false;
    if (isWorkingDay(d.format('YYYY-MM-DD'))) left -= 1;
  }
  return { date: d.format('YYYY-MM-DD'), complete };
}
