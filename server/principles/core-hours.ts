import { type CoreHours, DEFAULT_CORE_HOURS } from '../../principles/hours.js';
import { type Estate, WEEKDAYS } from '../config/schema.js';

const minuteOf = (time: string) => {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return hour * 60 + minute;
};

/** The core hours the estate's settings give (PRINCIPLES.md's by default), less its bank holidays. */
export function coreHoursOf(settings: Estate['settings']): CoreHours {
  const set = settings.coreHours;
  return {
    days: set ? set.days.map((day) => WEEKDAYS.indexOf(day)) : DEFAULT_CORE_HOURS.days,
    startMinute: set ? minuteOf(set.start) : DEFAULT_CORE_HOURS.startMinute,
    endMinute: set ? minuteOf(set.end) : DEFAULT_CORE_HOURS.endMinute,
    holidays: settings.bankHolidays ?? [],
  };
}
