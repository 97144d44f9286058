import { addWorkingDays, isWorkingDay } from './calendar';

describe('working-day calendar', () => {
  it.each([
    ['2026-11-23', true, 'a Monday'],
    ['2026-11-22', false, 'a Sunday'],
    ['2026-10-01', false, 'National Day'],
    ['2026-10-10', true, 'a make-up Saturday after National Day'],
    ['2026-02-17', false, 'Spring Festival'],
    ['2026-02-14', true, 'a make-up Saturday before Spring Festival'],
    ['2026-01-04', true, 'a make-up Sunday after New Year'],
    ['2026-05-04', false, 'Labour Day holiday on a Monday'],
  ])('%s is a working day: %s (%s)', (date, expected) => expect(isWorkingDay(date)).toBe(expected));

  it.each([
    ['2026-11-20', 7, '2026-12-01'], // Friday + 7 working days: skips two weekends
    ['2026-09-28', 7, '2026-10-13'], // across National Day and its make-up Saturday (10 Oct)
    ['2026-02-12', 7, '2026-02-28'], // across Spring Festival, counting both make-up Saturdays
    ['2026-04-30', 1, '2026-05-06'], // Labour Day holiday
  ])('%s + %s working days = %s', (from, n, to) => {
    expect(addWorkingDays(from, n)).toEqual({ date: to, complete: true });
  });

  it('when a deadline crosses into a year whose holidays are not yet in the table, then it says so', () => {
    const r = addWorkingDays('2026-12-28', 7);
    expect(r.complete).toBe(false);
    expect(r.date).toBe('2027-01-06'); // weekends only in 2027 until its notice is added
  });
});
