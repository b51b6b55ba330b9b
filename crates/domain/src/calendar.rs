//! The business calendar (docs/product.md, reference data): Monday to Friday minus the
//! program admin's holidays, counted in the operator's time zone.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, Zoned};
use std::collections::BTreeSet;

/// Business days and calendar days in the operator's time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessCalendar {
    tz: TimeZone,
    holidays: BTreeSet<Date>,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar::new(TimeZone::UTC, [])
    }
}

impl BusinessCalendar {
    pub fn new(tz: TimeZone, holidays: impl IntoIterator<Item = Date>) -> Self {
        BusinessCalendar {
            tz,
            holidays: holidays.into_iter().collect(),
        }
    }

    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    pub fn holidays(&self) -> impl Iterator<Item = &Date> {
        self.holidays.iter()
    }

    pub fn is_business_day(&self, date: Date) -> bool {
        !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holidays.contains(&date)
    }

    /// The moment `n` business days after `t`, at the same local time of day.
    ///
    /// Counting starts on the day after `t`'s local date: each following business day
    /// counts one, and the result is the `n`th of them at `t`'s local time. So a claim
    /// submitted on Saturday has five business days from Monday, and one submitted on a
    /// Friday at 17:00 is due the next Friday at 17:00. When that local time does not exist
    /// on the result's date (a daylight-saving gap) it is taken forward by the gap's length;
    /// when it exists twice, the earlier one is taken.
    pub fn add_business_days(&self, t: Timestamp, n: u32) -> Timestamp {
        let start = t.to_zoned(self.tz.clone());
        let mut date = start.date();
        let mut left = n;
        while left > 0 {
            date = next_day(date);
            if self.is_business_day(date) {
                left -= 1;
            }
        }
        self.at_local(date, &start)
    }

    /// The moment `n` calendar days after `t`, at the same local time of day (so a week
    /// across a daylight-saving change is 167 or 169 hours, as people count it).
    pub fn add_days(&self, t: Timestamp, n: u32) -> Timestamp {
        let start = t.to_zoned(self.tz.clone());
        let mut date = start.date();
        for _ in 0..n {
            date = next_day(date);
        }
        self.at_local(date, &start)
    }

    /// The first moment after `date` ends in the operator's time zone: when a subscription
    /// whose last day is `date` has ended.
    pub fn end_of_day(&self, date: Date) -> Timestamp {
        let next = next_day(date);
        self.tz
            .to_ambiguous_zoned(next.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .map(|z| z.timestamp())
            .unwrap_or(Timestamp::MAX)
    }

    /// The local calendar date of a moment.
    pub fn date_of(&self, t: Timestamp) -> Date {
        t.to_zoned(self.tz.clone()).date()
    }

    fn at_local(&self, date: Date, start: &Zoned) -> Timestamp {
        self.tz
            .to_ambiguous_zoned(date.to_datetime(start.time()))
            .compatible()
            .map(|z| z.timestamp())
            // Only past year 9999 can this fail; the latest moment keeps the order.
            .unwrap_or(Timestamp::MAX)
    }
}

fn next_day(date: Date) -> Date {
    date.checked_add(Span::new().days(1)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn utc(holidays: &[Date]) -> BusinessCalendar {
        BusinessCalendar::new(TimeZone::UTC, holidays.iter().copied())
    }

    #[test]
    fn five_business_days_from_a_tuesday_is_the_next_tuesday() {
        let c = utc(&[]);
        assert_eq!(
            c.add_business_days(ts("2026-11-17T10:30:00Z"), 5),
            ts("2026-11-24T10:30:00Z")
        );
    }

    #[test]
    fn a_deadline_crossing_a_weekend_and_a_holiday_skips_both() {
        // Thursday 26 November 2026 is a holiday: Fri 20 -> Mon 23 (1), Tue (2), Wed (3),
        // [Thu holiday], Fri 27 (4), [weekend], Mon 30 (5).
        let c = utc(&[date(2026, 11, 26)]);
        assert_eq!(
            c.add_business_days(ts("2026-11-20T16:00:00Z"), 5),
            ts("2026-11-30T16:00:00Z")
        );
    }

    #[test]
    fn counting_from_a_weekend_starts_on_monday() {
        let c = utc(&[]);
        assert_eq!(
            c.add_business_days(ts("2026-11-21T09:00:00Z"), 1),
            ts("2026-11-23T09:00:00Z")
        );
        assert_eq!(
            c.add_business_days(ts("2026-11-22T23:59:00Z"), 5),
            ts("2026-11-27T23:59:00Z")
        );
    }

    #[test]
    fn a_run_of_holidays_across_the_year_end_is_skipped() {
        // Christmas Eve (Thu) 2026; holidays 25 Dec (Fri) and 1 Jan (Fri).
        // Mon 28 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), [Fri 1 Jan], Mon 4 Jan 2027 (5).
        let c = utc(&[date(2026, 12, 25), date(2027, 1, 1)]);
        assert_eq!(
            c.add_business_days(ts("2026-12-24T09:00:00Z"), 5),
            ts("2027-01-04T09:00:00Z")
        );
        // A ten-day run of holidays from 24 Dec to 2 Jan.
        let all: Vec<Date> = (0..10)
            .map(|i| date(2026, 12, 24).checked_add(Span::new().days(i)).unwrap())
            .collect();
        let c = utc(&all);
        // Wed 23 Dec -> Mon 4 Jan (1) ... Fri 8 Jan (5).
        assert_eq!(
            c.add_business_days(ts("2026-12-23T12:00:00Z"), 5),
            ts("2027-01-08T12:00:00Z")
        );
    }

    #[test]
    fn local_time_of_day_is_kept_across_the_autumn_daylight_saving_change() {
        // Stockholm leaves summer time on Sunday 25 October 2026 (UTC+2 -> UTC+1).
        let c = BusinessCalendar::new(TimeZone::get("Europe/Stockholm").unwrap(), []);
        // Thu 22 Oct 14:00 CEST = 12:00Z; five business days later: Thu 29 Oct 14:00 CET = 13:00Z.
        assert_eq!(
            c.add_business_days(ts("2026-10-22T12:00:00Z"), 5),
            ts("2026-10-29T13:00:00Z")
        );
    }

    #[test]
    fn local_time_of_day_is_kept_across_the_spring_daylight_saving_change() {
        // New York enters daylight saving time on Sunday 14 March 2027 (UTC-5 -> UTC-4).
        let c = BusinessCalendar::new(TimeZone::get("America/New_York").unwrap(), []);
        // Fri 12 Mar 09:00 EST = 14:00Z; five business days later Fri 19 Mar 09:00 EDT = 13:00Z.
        assert_eq!(
            c.add_business_days(ts("2027-03-12T14:00:00Z"), 5),
            ts("2027-03-19T13:00:00Z")
        );
        // Seven calendar days across the change is 167 hours.
        assert_eq!(
            c.add_days(ts("2027-03-10T17:00:00Z"), 7),
            ts("2027-03-17T16:00:00Z")
        );
    }

    #[test]
    fn a_local_time_in_a_daylight_saving_gap_moves_forward() {
        // Paris: 28 March 2027 02:00 -> 03:00. Sat 27 Mar 02:30 CET (01:30Z) + 1 day
        // is 02:30 on the 28th, which does not exist: 03:30 CEST (01:30Z).
        let c = BusinessCalendar::new(TimeZone::get("Europe/Paris").unwrap(), []);
        assert_eq!(
            c.add_days(ts("2027-03-27T01:30:00Z"), 1),
            ts("2027-03-28T01:30:00Z")
        );
    }

    #[test]
    fn business_days_are_counted_in_the_operator_time_zone() {
        // Friday 23:30 in São Paulo (UTC-3) is Saturday 02:30 UTC: in São Paulo it is
        // still Friday, so one business day later is Monday 23:30 local.
        let c = BusinessCalendar::new(TimeZone::get("America/Sao_Paulo").unwrap(), []);
        assert_eq!(
            c.add_business_days(ts("2026-11-21T02:30:00Z"), 1),
            ts("2026-11-24T02:30:00Z")
        );
        let u = utc(&[]);
        assert_eq!(
            u.add_business_days(ts("2026-11-21T02:30:00Z"), 1),
            ts("2026-11-23T02:30:00Z")
        );
    }

    #[test]
    fn a_subscription_ends_at_local_midnight_after_its_last_day() {
        let c = BusinessCalendar::new(TimeZone::get("Europe/Stockholm").unwrap(), []);
        assert_eq!(c.end_of_day(date(2026, 12, 31)), ts("2026-12-31T23:00:00Z"));
    }

    #[test]
    fn zero_business_days_is_the_same_moment() {
        let c = utc(&[]);
        assert_eq!(
            c.add_business_days(ts("2026-11-21T09:00:00Z"), 0),
            ts("2026-11-21T09:00:00Z")
        );
    }
}
