//! UTC timestamps as the TM stores them (`2026-11-27T18:48:30Z`) and the other spellings it reads.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// A date or time that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date (expected 2026-11-27, 2026-11-27T18:48:30Z or 20261127T184830Z)")]
pub struct BadDate(pub String);

/// Now, in UTC, to the second, in the stored form.
pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

fn format(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let f = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&f).unwrap_or_default()
}

/// Reads a date in any of the accepted spellings and returns the stored form (UTC).
///
/// Accepted: RFC 3339 (`2026-11-27T18:48:30Z`, `2026-11-27T21:48:30+03:00`), a plain date
/// (`2026-11-27`, taken as midnight UTC), `2026-11-27 18:48:30` (UTC), and the TMX form
/// (`20261127T184830Z`).
///
/// # Errors
/// [`BadDate`] when none of the spellings fits.
///
/// ```
/// assert_eq!(mizan::tm::date::parse("20240619T083000Z").unwrap(), "2024-06-19T08:30:00Z");
/// assert_eq!(mizan::tm::date::parse("2024-06-19").unwrap(), "2024-06-19T00:00:00Z");
/// ```
pub fn parse(s: &str) -> Result<String, BadDate> {
    let s = s.trim();
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(format(t));
    }
    let tmx = format_description!("[year][month][day]T[hour][minute][second]Z");
    if let Ok(t) = PrimitiveDateTime::parse(s, &tmx) {
        return Ok(format(t.assume_utc()));
    }
    let spaced = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(t) = PrimitiveDateTime::parse(s, &spaced) {
        return Ok(format(t.assume_utc()));
    }
    let day = format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(s, &day) {
        return Ok(format(d.midnight().assume_utc()));
    }
    Err(BadDate(s.to_string()))
}

/// Seconds since 1970-01-01 UTC of a stored date (`2026-11-27T18:48:30Z`), `None` when it is not
/// in the stored form.
///
/// ```
/// assert_eq!(mizan::tm::date::unix_seconds("1970-01-02T00:00:01Z"), Some(86_401));
/// assert_eq!(mizan::tm::date::unix_seconds("yesterday"), None);
/// ```
pub fn unix_seconds(stored: &str) -> Option<i64> {
    OffsetDateTime::parse(stored, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// The TMX spelling (`20261127T184830Z`) of a stored date.
pub fn to_tmx(stored: &str) -> String {
    stored.chars().filter(|c| *c != '-' && *c != ':').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_converted_to_utc() {
        assert_eq!(parse("2024-06-19T11:30:00+03:00").unwrap(), "2024-06-19T08:30:00Z");
    }

    #[test]
    fn tmx_form_round_trips() {
        let stored = parse("20240619T083000Z").unwrap();
        assert_eq!(to_tmx(&stored), "20240619T083000Z");
    }

    #[test]
    fn rejects_nonsense() {
        assert!(parse("yesterday").is_err());
        assert!(parse("2024-13-40").is_err());
    }

    #[test]
    fn now_is_in_stored_form() {
        let n = now();
        assert_eq!(parse(&n).unwrap(), n);
    }
}
