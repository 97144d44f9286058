import { OpeningHoursSchema, openedAt, withinHours } from './hours';

/** An instant given as China time on 2026-11-20. */
const china = (hhmm: string, day = 20) => new Date(`2026-11-${day}T${hhmm}:00+08:00`);

describe('opening hours', () => {
  it.each([
    ['10:00-14:00,17:00-21:30', '09:59', false],
    ['10:00-14:00,17:00-21:30', '10:00', true],
    ['10:00-14:00,17:00-21:30', '14:00', false],
    ['10:00-14:00,17:00-21:30', '21:29', true],
    ['00:00-24:00', '00:00', true],
    ['00:00-24:00', '23:59', true],
    ['17:00-02:00', '16:59', false],
    ['17:00-02:00', '23:30', true],
    ['17:00-02:00', '01:59', true],
    ['17:00-02:00', '02:00', false],
  ])('%s at %s → open: %s', (hours, at, open) => {
    expect(withinHours(hours, china(at))).toBe(open);
  });

  it('tells when the current range began, also for a night that began yesterday', () => {
    expect(openedAt('10:00-14:00,17:00-21:30', china('18:25'))).toEqual(china('17:00'));
    expect(openedAt('17:00-02:00', china('01:30', 21))).toEqual(china('17:00', 20));
    expect(openedAt('17:00-02:00', china('03:00', 21))).toBeNull();
  });

  it.each([
    ['10:00-14:00', true],
    ['17:00-02:00', true],
    ['00:00-24:00', true],
    ['25:00-26:00', false],
    ['10:60-12:00', false],
    ['24:00-10:00', false],
    ['10:00-10:00', false],
    ['10-14', false],
  ])('validates %s → %s', (hours, ok) => {
    expect(OpeningHoursSchema.safeParse(hours).success).toBe(ok);
  });
});
