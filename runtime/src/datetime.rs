//! A UTC instant with nanosecond precision and the three wire formats AWS uses.
//!
//! Hand-written rather than pulling in `time` or `chrono`: the client needs only parsing
//! and printing of three formats, and every dependency costs our users build time.

use std::fmt;

/// A point in time (UTC), as seconds and nanoseconds since the Unix epoch.
///
/// On the wire of the JSON protocols it is epoch seconds by default (`1700000000` or
/// `1700000000.5`); members whose model says `iso8601` or `rfc822` use those formats.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// A timestamp string or number that is not in any format AWS uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    input: String,
    expected: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid {} timestamp",
            self.input, self.expected
        )
    }
}

impl std::error::Error for ParseError {}

fn err(input: &str, expected: &'static str) -> ParseError {
    let mut input = input.to_string();
    if input.len() > 64 {
        let mut cut = 64;
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        input.truncate(cut);
        input.push('…');
    }
    ParseError { input, expected }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl DateTime {
    /// The Unix epoch.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// From whole seconds since the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// From seconds and nanoseconds since the epoch; `nanos` above a second carries over.
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add(i64::from(nanos / 1_000_000_000)),
            nanos: nanos % 1_000_000_000,
        }
    }

    /// From fractional seconds since the epoch, as the JSON protocols send them.
    /// `None` for NaN, infinities and values beyond the representable range.
    pub fn from_secs_f64(secs: f64) -> Option<Self> {
        if !secs.is_finite() || secs.abs() > 1e17 {
            return None;
        }
        let whole = secs.floor();
        // Round to microseconds: the services send at most millisecond precision and a
        // binary float cannot hold more than that exactly at today's magnitudes.
        let mut micros = ((secs - whole) * 1e6).round() as u32;
        let mut whole = whole as i64;
        if micros >= 1_000_000 {
            whole += 1;
            micros -= 1_000_000;
        }
        Some(DateTime {
            secs: whole,
            nanos: micros * 1000,
        })
    }

    /// From a calendar date and time of day in UTC. `None` if any field is out of range.
    pub fn from_ymd_hms(
        year: i64,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Self> {
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        // A leap second (:60) is folded into the next second, as most systems do.
        let days = days_from_civil(year, month, day);
        Some(DateTime {
            secs: days * 86_400 + i64::from(hour * 3600 + minute * 60 + second),
            nanos: 0,
        })
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => DateTime {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                DateTime::from_secs_and_nanos(0, 0).sub_duration(d)
            }
        }
    }

    fn sub_duration(self, d: std::time::Duration) -> Self {
        let mut secs = self.secs - d.as_secs() as i64;
        let mut nanos = i64::from(self.nanos) - i64::from(d.subsec_nanos());
        if nanos < 0 {
            nanos += 1_000_000_000;
            secs -= 1;
        }
        DateTime {
            secs,
            nanos: nanos as u32,
        }
    }

    /// Whole seconds since the epoch (rounded down).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`secs`](Self::secs).
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float.
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / 1e9
    }

    /// `(year, month, day, hour, minute, second)` in UTC.
    pub fn to_ymd_hms(&self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    /// RFC 3339 / ISO 8601 in UTC: `2016-01-01T12:00:00Z`, with microseconds when the
    /// instant has a fraction (`2016-01-01T12:00:00.500000Z`), as botocore writes it.
    pub fn to_iso8601(&self) -> String {
        let (y, mo, d, h, mi, s) = self.to_ymd_hms();
        let mut out = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if self.nanos != 0 {
            let micros = self.nanos / 1000;
            if micros * 1000 == self.nanos {
                out.push_str(&format!(".{micros:06}"));
            } else {
                out.push_str(&format!(".{:09}", self.nanos));
            }
        }
        out.push('Z');
        out
    }

    /// The HTTP date of RFC 7231 (`Tue, 29 Apr 2014 18:30:38 GMT`), botocore's `rfc822`.
    pub fn to_http_date(&self) -> String {
        let (y, mo, d, h, mi, s) = self.to_ymd_hms();
        let wd = WEEKDAYS[self.secs.div_euclid(86_400).rem_euclid(7) as usize];
        format!(
            "{wd}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
            MONTHS[(mo - 1) as usize]
        )
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the SigV4 request date (on every request, so written
    /// digit by digit rather than through `format!`).
    pub fn to_amz_date(&self) -> String {
        match self.amz_date() {
            Some(d) => d.as_str().to_string(),
            None => {
                // Outside four-digit years the fixed layout cannot hold; say it plainly.
                let (y, mo, d, h, mi, s) = self.to_ymd_hms();
                format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
            }
        }
    }

    /// [`to_amz_date`](Self::to_amz_date) held inline (no allocation), for years 0 to 9999.
    pub(crate) fn amz_date(&self) -> Option<crate::InlineAscii<16>> {
        let (y, mo, d, h, mi, s) = self.to_ymd_hms();
        if !(0..=9999).contains(&y) {
            return None;
        }
        let mut out = [b'T'; 16];
        let two = |v: u32| [b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8];
        let y = y as u32;
        for (at, v) in [
            (0, y / 100),
            (2, y % 100),
            (4, mo),
            (6, d),
            (9, h),
            (11, mi),
            (13, s),
        ] {
            out[at..at + 2].copy_from_slice(&two(v));
        }
        out[15] = b'Z';
        Some(crate::InlineAscii(out))
    }

    /// Parses ISO 8601 / RFC 3339: `2016-01-01T12:00:00Z`, with a fraction of any length,
    /// an offset (`+08:00`, `-0500`), a space for `T` or no zone at all (taken as UTC).
    pub fn parse_iso8601(s: &str) -> Result<Self, ParseError> {
        let fail = || err(s, "ISO 8601");
        let b = s.trim().as_bytes();
        let num = |range: std::ops::Range<usize>| -> Result<u32, ParseError> {
            let part = b.get(range).ok_or_else(fail)?;
            if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
                return Err(fail());
            }
            std::str::from_utf8(part)
                .map_err(|_| fail())?
                .parse()
                .map_err(|_| fail())
        };
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || !matches!(b[10], b'T' | b't' | b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(fail());
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut i = 19;
        let mut nanos: u64 = 0;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 9 {
                    nanos = nanos * 10 + u64::from(b[i] - b'0');
                }
                i += 1;
            }
            if i == start {
                return Err(fail());
            }
            for _ in (i - start)..9 {
                nanos *= 10;
            }
        }
        let offset_secs: i64 = match b.get(i) {
            None => 0,
            Some(b'Z' | b'z') if i + 1 == b.len() => 0,
            Some(&sign @ (b'+' | b'-')) => {
                let oh = num(i + 1..i + 3)?;
                let om = match b.get(i + 3) {
                    Some(b':') if b.len() == i + 6 => num(i + 4..i + 6)?,
                    Some(_) if b.len() == i + 5 => num(i + 3..i + 5)?,
                    None => 0,
                    _ => return Err(fail()),
                };
                if oh > 23 || om > 59 {
                    return Err(fail());
                }
                let off = i64::from(oh * 3600 + om * 60);
                if sign == b'+' {
                    off
                } else {
                    -off
                }
            }
            _ => return Err(fail()),
        };
        let base = DateTime::from_ymd_hms(i64::from(y), mo, d, h, mi, sec).ok_or_else(fail)?;
        Ok(DateTime {
            secs: base.secs - offset_secs,
            nanos: nanos as u32,
        })
    }

    /// Parses the HTTP date of RFC 7231 (`Tue, 29 Apr 2014 18:30:38 GMT`); the weekday is
    /// optional and not checked, a fraction of a second is accepted.
    pub fn parse_http_date(s: &str) -> Result<Self, ParseError> {
        let fail = || err(s, "HTTP date");
        let t = s.trim();
        let t = match t.find(',') {
            Some(pos) => t[pos + 1..].trim_start(),
            None => t,
        };
        let mut parts = t.split_ascii_whitespace();
        let day: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(fail)?;
        let mon = parts.next().ok_or_else(fail)?;
        let month = MONTHS
            .iter()
            .position(|m| m.eq_ignore_ascii_case(mon))
            .ok_or_else(fail)? as u32
            + 1;
        let year: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(fail)?;
        let time = parts.next().ok_or_else(fail)?;
        match parts.next() {
            Some(z)
                if z.eq_ignore_ascii_case("GMT")
                    || z.eq_ignore_ascii_case("UTC")
                    || z == "Z"
                    || z == "+0000" => {}
            None => {}
            Some(_) => return Err(fail()),
        }
        if parts.next().is_some() {
            return Err(fail());
        }
        let (hms, frac) = match time.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (time, None),
        };
        let mut hms = hms.split(':').map(|p| p.parse::<u32>().ok());
        let (Some(Some(h)), Some(Some(mi)), Some(Some(sec)), None) =
            (hms.next(), hms.next(), hms.next(), hms.next())
        else {
            return Err(fail());
        };
        let mut nanos = 0u32;
        if let Some(frac) = frac {
            if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|c| c.is_ascii_digit()) {
                return Err(fail());
            }
            nanos = frac.parse::<u32>().map_err(|_| fail())? * 10u32.pow(9 - frac.len() as u32);
        }
        let base = DateTime::from_ymd_hms(year, month, day, h, mi, sec).ok_or_else(fail)?;
        Ok(DateTime {
            secs: base.secs,
            nanos,
        })
    }

    /// Parses epoch seconds written as a string (`"1398796238"`, `"1398796238.123"`).
    pub fn parse_epoch_seconds(s: &str) -> Result<Self, ParseError> {
        let t = s.trim();
        if t.is_empty()
            || !t
                .bytes()
                .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        {
            return Err(err(s, "epoch-seconds"));
        }
        t.parse::<f64>()
            .ok()
            .and_then(DateTime::from_secs_f64)
            .ok_or_else(|| err(s, "epoch-seconds"))
    }

    /// Parses any of the three formats: what a lenient reader of responses needs, since
    /// services do not always send the format the model names.
    pub fn parse_any(s: &str) -> Result<Self, ParseError> {
        DateTime::parse_iso8601(s)
            .or_else(|_| DateTime::parse_http_date(s))
            .or_else(|_| DateTime::parse_epoch_seconds(s))
            .map_err(|_| err(s, "ISO 8601, HTTP-date or epoch-seconds"))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

impl DateTime {
    /// As a `SystemTime` (times before the epoch count back from it); `None` when the
    /// platform's `SystemTime` cannot hold it.
    pub fn to_system_time(&self) -> Option<std::time::SystemTime> {
        let nanos = std::time::Duration::from_nanos(u64::from(self.nanos));
        let whole = std::time::Duration::from_secs(self.secs.unsigned_abs());
        let at = if self.secs >= 0 {
            std::time::UNIX_EPOCH.checked_add(whole)
        } else {
            std::time::UNIX_EPOCH.checked_sub(whole)
        };
        at?.checked_add(nanos)
    }
}

impl From<std::time::SystemTime> for DateTime {
    fn from(t: std::time::SystemTime) -> Self {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => DateTime {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => DateTime::UNIX_EPOCH.sub_duration(e.duration()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [
            -1_000_000i64,
            -719_468,
            -1,
            0,
            1,
            59,
            10_957,
            11_016,
            2_932_896,
        ] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn formats() {
        let t = DateTime::from_secs(1_398_796_238);
        assert_eq!(t.to_iso8601(), "2014-04-29T18:30:38Z");
        assert_eq!(t.to_http_date(), "Tue, 29 Apr 2014 18:30:38 GMT");
        assert_eq!(t.to_amz_date(), "20140429T183038Z");
        assert_eq!(DateTime::from_secs(0).to_amz_date(), "19700101T000000Z");
        for secs in [0, 1_398_796_238, 253_402_300_799] {
            let t = DateTime::from_secs(secs);
            assert_eq!(t.amz_date().unwrap().as_str(), t.to_amz_date());
        }
        // Year 10000: no inline form; the long one says it plainly.
        let far = DateTime::from_secs(253_402_300_800);
        assert!(far.amz_date().is_none());
        assert_eq!(far.to_amz_date(), "100000101T000000Z");
        assert_eq!(
            DateTime::from_ymd_hms(2009, 12, 31, 23, 59, 59)
                .unwrap()
                .to_amz_date(),
            "20091231T235959Z"
        );
        let f = DateTime::from_secs_f64(1_398_796_238.123).unwrap();
        assert_eq!(f.to_iso8601(), "2014-04-29T18:30:38.123000Z");
        assert_eq!(DateTime::from_secs(-1).to_iso8601(), "1969-12-31T23:59:59Z");
        assert_eq!(
            DateTime::from_secs(-1).to_http_date(),
            "Wed, 31 Dec 1969 23:59:59 GMT"
        );
    }

    #[test]
    fn parses_iso8601_variants() {
        let want = DateTime::from_secs(1_398_796_238);
        for s in [
            "2014-04-29T18:30:38Z",
            "2014-04-29T18:30:38",
            "2014-04-29 18:30:38Z",
            "2014-04-29T20:30:38+02:00",
            "2014-04-29T13:30:38-0500",
            "2014-04-29T18:30:38.000Z",
        ] {
            assert_eq!(DateTime::parse_iso8601(s), Ok(want), "{s}");
        }
        let frac = DateTime::parse_iso8601("2014-04-29T18:30:38.123456789Z").unwrap();
        assert_eq!(frac.subsec_nanos(), 123_456_789);
        for bad in [
            "",
            "2014-04-29",
            "2014-13-01T00:00:00Z",
            "2014-02-30T00:00:00Z",
            "2014-04-29T18:30:38Zjunk",
            "2014-04-29T18:30:38.Z",
            "２０１４-04-29T18:30:38Z",
            "2014-04-29T18:30:38+99:00",
        ] {
            assert!(DateTime::parse_iso8601(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_http_dates() {
        let want = DateTime::from_secs(1_398_796_238);
        assert_eq!(
            DateTime::parse_http_date("Tue, 29 Apr 2014 18:30:38 GMT"),
            Ok(want)
        );
        assert_eq!(
            DateTime::parse_http_date("29 Apr 2014 18:30:38 GMT"),
            Ok(want)
        );
        assert_eq!(
            DateTime::parse_http_date("Tue, 29 Apr 2014 18:30:38.5 GMT")
                .unwrap()
                .subsec_nanos(),
            500_000_000
        );
        for bad in [
            "",
            "Tue, 29 Foo 2014 18:30:38 GMT",
            "Tue, 29 Apr 2014 18:30 GMT",
            "Tue, 29 Apr 2014 18:30:38 PST",
            "Tue, 31 Apr 2014 18:30:38 GMT",
        ] {
            assert!(DateTime::parse_http_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn epoch_seconds() {
        assert_eq!(
            DateTime::from_secs_f64(1.5).unwrap(),
            DateTime::from_secs_and_nanos(1, 500_000_000)
        );
        assert_eq!(
            DateTime::from_secs_f64(-1.5).unwrap(),
            DateTime::from_secs_and_nanos(-2, 500_000_000)
        );
        assert_eq!(DateTime::from_secs_f64(f64::NAN), None);
        assert_eq!(DateTime::from_secs_f64(f64::INFINITY), None);
        assert_eq!(
            DateTime::parse_epoch_seconds("1398796238").unwrap().secs(),
            1_398_796_238
        );
        assert!(DateTime::parse_epoch_seconds("abc").is_err());
        assert_eq!(
            DateTime::parse_any("Tue, 29 Apr 2014 18:30:38 GMT")
                .unwrap()
                .secs(),
            1_398_796_238
        );
    }

    #[test]
    fn long_garbage_is_truncated_in_errors() {
        let long = "x".repeat(10_000);
        let e = DateTime::parse_any(&long).unwrap_err().to_string();
        assert!(e.len() < 200, "{e}");
    }
}
