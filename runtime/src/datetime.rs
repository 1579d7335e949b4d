//! Date-time wire formats used by Communication Services.
//!
//! * [`rfc3339`]: JSON bodies (`"2023-07-06T18:38:10.5153647+00:00"`, `"2022-05-26T07:59:28Z"`).
//!   Parsing accepts any number of fractional-second digits up to nine (more are truncated to
//!   nanoseconds), `T`/`t`/space as the separator and `Z`/`z` or a `±hh:mm` offset. Formatting
//!   always writes UTC with a `Z` suffix and only the fractional digits that are needed.
//! * [`rfc1123`]: HTTP headers (`x-ms-date`, `Repeatability-First-Sent`):
//!   `"Wed, 13 Apr 2022 18:09:12 GMT"`, always in GMT, no fractional seconds.
//!
//! Both modules double as serde adapters (`#[serde(with = "crate::datetime::rfc3339")]`)
//! and have an `option` submodule for `Option<OffsetDateTime>` fields, used as
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "…::option")]`.

use azure_core::error::ErrorKind;
use time::{Date, Month, OffsetDateTime, Time, UtcOffset, Weekday};

fn conversion_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::DataConversion, message)
}

/// Reads exactly `len` ASCII digits at `*pos`, advancing it.
fn digits(bytes: &[u8], pos: &mut usize, len: usize) -> Option<u32> {
    let slice = bytes.get(*pos..*pos + len)?;
    let mut value = 0u32;
    for &b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    *pos += len;
    Some(value)
}

/// Consumes the byte `expected` at `*pos`.
fn expect(bytes: &[u8], pos: &mut usize, expected: u8) -> Option<()> {
    (bytes.get(*pos) == Some(&expected)).then(|| *pos += 1)
}

fn month_from_number(month: u32) -> Option<Month> {
    u8::try_from(month).ok().and_then(|m| Month::try_from(m).ok())
}

/// A date-time parser (`rfc3339::parse` or `rfc1123::parse`).
type Parse = fn(&str) -> azure_core::Result<OffsetDateTime>;

/// Reads a string and parses it, without copying it into a `String` first: the same results
/// and errors as `String::deserialize` followed by the parser (`expecting` says "a string", bytes
/// are accepted when they are UTF-8, as `String` does). A parse error is returned as a value and
/// turned into `D::Error` by the caller, after the deserializer call, as before (inside it,
/// `serde_json` would add a position to the message).
struct ParseStr(Parse);

impl serde::de::Visitor<'_> for ParseStr {
    type Value = azure_core::Result<OffsetDateTime>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok((self.0)(text))
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.visit_str(text),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
        }
    }
}

/// `Option` of [`ParseStr`]: the same results and errors as `Option::<String>::deserialize`
/// followed by the parser (`null` is `None`).
struct ParseOptionStr(Parse);

impl<'de> serde::de::Visitor<'de> for ParseOptionStr {
    type Value = Option<azure_core::Result<OffsetDateTime>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_string(ParseStr(self.0)).map(Some)
    }
}

/// RFC 3339 timestamps, as used in JSON bodies.
pub mod rfc3339 {
    use super::*;
    use serde::{Deserializer, Serializer};

    /// Parses an RFC 3339 timestamp with an explicit `Z` or `±hh:mm` offset.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::DataConversion`] naming the input and what is wrong.
    pub fn parse(input: &str) -> azure_core::Result<OffsetDateTime> {
        parse_inner(input).map_err(|what| {
            conversion_error(format!(
                "invalid RFC 3339 date-time {input:?}: {what} (expected e.g. \"2023-07-06T18:38:10.5153647+00:00\" or \"2022-05-26T07:59:28Z\")"
            ))
        })
    }

    fn parse_inner(input: &str) -> Result<OffsetDateTime, &'static str> {
        let b = input.as_bytes();
        let mut pos = 0;
        let year = digits(b, &mut pos, 4).ok_or("bad year")?;
        expect(b, &mut pos, b'-').ok_or("expected '-' after the year")?;
        let month = digits(b, &mut pos, 2).ok_or("bad month")?;
        expect(b, &mut pos, b'-').ok_or("expected '-' after the month")?;
        let day = digits(b, &mut pos, 2).ok_or("bad day")?;
        match b.get(pos) {
            Some(b'T' | b't' | b' ') => pos += 1,
            _ => return Err("expected 'T' between date and time"),
        }
        let hour = digits(b, &mut pos, 2).ok_or("bad hour")?;
        expect(b, &mut pos, b':').ok_or("expected ':' after the hour")?;
        let minute = digits(b, &mut pos, 2).ok_or("bad minute")?;
        expect(b, &mut pos, b':').ok_or("expected ':' after the minute")?;
        let second = digits(b, &mut pos, 2).ok_or("bad second")?;
        let mut nanos = 0u32;
        if b.get(pos) == Some(&b'.') {
            pos += 1;
            let start = pos;
            while let Some(&digit) = b.get(pos).filter(|b| b.is_ascii_digit()) {
                // Digits past the ninth (below a nanosecond) are dropped.
                if pos - start < 9 {
                    nanos = nanos * 10 + u32::from(digit - b'0');
                }
                pos += 1;
            }
            match pos - start {
                0 => return Err("expected digits after '.'"),
                read @ 1..=8 => nanos *= 10u32.pow(9 - read as u32),
                _ => {}
            }
        }
        let offset = match b.get(pos) {
            Some(b'Z' | b'z') => {
                pos += 1;
                UtcOffset::UTC
            }
            Some(&sign @ (b'+' | b'-')) => {
                pos += 1;
                let hours = digits(b, &mut pos, 2).ok_or("bad offset hours")?;
                expect(b, &mut pos, b':').ok_or("expected ':' in the offset")?;
                let minutes = digits(b, &mut pos, 2).ok_or("bad offset minutes")?;
                if hours > 23 || minutes > 59 {
                    return Err("offset out of range");
                }
                let (h, m) = (hours as i8, minutes as i8);
                let (h, m) = if sign == b'-' { (-h, -m) } else { (h, m) };
                UtcOffset::from_hms(h, m, 0).map_err(|_| "offset out of range")?
            }
            _ => return Err("missing 'Z' or a '+hh:mm'/'-hh:mm' offset"),
        };
        if pos != b.len() {
            return Err("unexpected characters after the offset");
        }
        let month = month_from_number(month).ok_or("month out of range")?;
        let date = Date::from_calendar_date(year as i32, month, day as u8)
            .map_err(|_| "day out of range for the month")?;
        let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos)
            .map_err(|_| "time of day out of range")?;
        Ok(date.with_time(time).assume_offset(offset))
    }

    /// Formats in UTC with a `Z` suffix and up to nine fractional digits (trailing zeros
    /// dropped, none when the time has whole seconds).
    pub fn format(value: OffsetDateTime) -> String {
        let utc = value.to_offset(UtcOffset::UTC);
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            utc.year(),
            u8::from(utc.month()),
            utc.day(),
            utc.hour(),
            utc.minute(),
            utc.second()
        );
        let nanos = utc.nanosecond();
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// Serde serializer (see [`format()`]).
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(*value))
    }

    /// Serde deserializer (see [`parse`]).
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        deserializer.deserialize_string(ParseStr(parse))?.map_err(serde::de::Error::custom)
    }

    /// Serde adapter for `Option<OffsetDateTime>`; `null` and a missing field (with
    /// `#[serde(default)]`) read as `None`.
    pub mod option {
        use super::*;

        /// Serde serializer; `None` is written as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serializer.serialize_str(&format(*value)),
                None => serializer.serialize_none(),
            }
        }

        /// Serde deserializer.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            deserializer
                .deserialize_option(ParseOptionStr(parse))?
                .transpose()
                .map_err(serde::de::Error::custom)
        }
    }

    /// Serde helpers for a merge-patch field, `Nullable<OffsetDateTime>`; use with
    /// `#[serde(default, skip_serializing_if = "Nullable::is_absent", with = "…")]`.
    pub mod nullable {
        use crate::nullable::Nullable;
        use serde::{Deserialize, Deserializer, Serializer};
        use time::OffsetDateTime;

        /// Writes `null` or the RFC 3339 text.
        pub fn serialize<S: Serializer>(
            value: &Nullable<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Nullable::Value(value) => super::serialize(value, serializer),
                Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `Null` and a string as an RFC 3339 date-time.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Nullable<OffsetDateTime>, D::Error> {
            match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
                None => Ok(Nullable::Null),
                Some(text) => {
                    super::parse(&text).map(Nullable::Value).map_err(serde::de::Error::custom)
                }
            }
        }
    }
}

/// RFC 1123 (IMF-fixdate) timestamps, as used in HTTP headers.
pub mod rfc1123 {
    use super::*;
    use serde::{Deserializer, Serializer};

    const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    fn weekday_name(weekday: Weekday) -> &'static str {
        WEEKDAYS[usize::from(weekday.number_days_from_monday())]
    }

    /// Formats as `"Wed, 13 Apr 2022 18:09:12 GMT"` (converted to GMT, seconds truncated).
    pub fn format(value: OffsetDateTime) -> String {
        let utc = value.to_offset(UtcOffset::UTC);
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            weekday_name(utc.weekday()),
            utc.day(),
            MONTHS[usize::from(u8::from(utc.month())) - 1],
            utc.year(),
            utc.hour(),
            utc.minute(),
            utc.second()
        )
    }

    /// Parses `"Wed, 13 Apr 2022 18:09:12 GMT"`. The day may have one or two digits; the zone
    /// must be `GMT` or `UTC`. The weekday must be a valid name but is not cross-checked.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::DataConversion`] naming the input and what is wrong.
    pub fn parse(input: &str) -> azure_core::Result<OffsetDateTime> {
        parse_inner(input.trim()).map_err(|what| {
            conversion_error(format!(
                "invalid RFC 1123 date {input:?}: {what} (expected e.g. \"Wed, 13 Apr 2022 18:09:12 GMT\")"
            ))
        })
    }

    fn parse_inner(input: &str) -> Result<OffsetDateTime, &'static str> {
        let (weekday, rest) = input.split_once(", ").ok_or("expected \"Www, \" first")?;
        if !WEEKDAYS.contains(&weekday) {
            return Err("unknown weekday");
        }
        let mut parts = rest.split(' ');
        let (Some(day), Some(month), Some(year), Some(time), Some(zone), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("expected \"DD Mon YYYY hh:mm:ss GMT\" after the weekday");
        };
        if !(1..=2).contains(&day.len()) || !day.bytes().all(|b| b.is_ascii_digit()) {
            return Err("bad day");
        }
        let day: u8 = day.parse().map_err(|_| "bad day")?;
        let month = MONTHS
            .iter()
            .position(|m| *m == month)
            .and_then(|index| month_from_number(index as u32 + 1))
            .ok_or("unknown month")?;
        let mut pos = 0;
        let year =
            digits(year.as_bytes(), &mut pos, 4).filter(|_| pos == year.len()).ok_or("bad year")?;
        let t = time.as_bytes();
        let mut pos = 0;
        let hour = digits(t, &mut pos, 2).ok_or("bad hour")?;
        expect(t, &mut pos, b':').ok_or("bad time")?;
        let minute = digits(t, &mut pos, 2).ok_or("bad minute")?;
        expect(t, &mut pos, b':').ok_or("bad time")?;
        let second = digits(t, &mut pos, 2).ok_or("bad second")?;
        if pos != t.len() {
            return Err("bad time");
        }
        if zone != "GMT" && zone != "UTC" {
            return Err("the zone must be GMT");
        }
        let date =
            Date::from_calendar_date(year as i32, month, day).map_err(|_| "day out of range")?;
        let time = Time::from_hms(hour as u8, minute as u8, second as u8)
            .map_err(|_| "time of day out of range")?;
        Ok(date.with_time(time).assume_utc())
    }

    /// Serde serializer (see [`format()`]).
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(*value))
    }

    /// Serde deserializer (see [`parse`]).
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        deserializer.deserialize_string(ParseStr(parse))?.map_err(serde::de::Error::custom)
    }

    /// Serde adapter for `Option<OffsetDateTime>`; `null` and a missing field (with
    /// `#[serde(default)]`) read as `None`.
    pub mod option {
        use super::*;

        /// Serde serializer; `None` is written as `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => serializer.serialize_str(&format(*value)),
                None => serializer.serialize_none(),
            }
        }

        /// Serde deserializer.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            deserializer
                .deserialize_option(ParseOptionStr(parse))?
                .transpose()
                .map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn rfc3339_parses_service_shapes() {
        let cases = [
            ("2022-05-26T07:59:28Z", datetime!(2022-05-26 07:59:28 UTC)),
            ("2023-07-06T18:38:10.5153647+00:00", datetime!(2023-07-06 18:38:10.5153647 UTC)),
            ("2023-05-05T21:09:04.988318+00:00", datetime!(2023-05-05 21:09:04.988318 UTC)),
            ("2023-05-05t21:09:04.1z", datetime!(2023-05-05 21:09:04.1 UTC)),
            (
                "2023-05-05T21:09:04.123456789-07:30",
                datetime!(2023-05-05 21:09:04.123456789 -07:30),
            ),
            ("2023-05-05T21:09:04.1234567891234Z", datetime!(2023-05-05 21:09:04.123456789 UTC)),
        ];
        for (text, expected) in cases {
            assert_eq!(rfc3339::parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn rfc3339_rejects_with_clear_errors() {
        for bad in [
            "",
            "2022-05-26",
            "2022-05-26T07:59:28",
            "2022-05-26T07:59:28.Z",
            "2022-02-30T07:59:28Z",
            "2022-05-26T25:59:28Z",
            "2022-05-26T07:59:28+24:00",
            "2022-05-26T07:59:28Zjunk",
            "２０２２-05-26T07:59:28Z",
        ] {
            let err = rfc3339::parse(bad).unwrap_err();
            assert!(err.to_string().contains("invalid RFC 3339"), "{err}");
        }
    }

    /// The serde adapters read without copying the text, with the results and errors of
    /// `String` (or `Option<String>`) followed by the parser.
    #[test]
    fn serde_adapters_read_and_fail_like_a_string_then_parse() {
        use serde::Deserialize;
        type Reference = fn(&str) -> String;
        fn string_then(parse: Parse, json: &str) -> String {
            let mut d = serde_json::Deserializer::from_str(json);
            let read = String::deserialize(&mut d)
                .and_then(|text| parse(&text).map_err(serde::de::Error::custom));
            format!("{read:?}")
        }
        fn option_then(parse: Parse, json: &str) -> String {
            let mut d = serde_json::Deserializer::from_str(json);
            let read = Option::<String>::deserialize(&mut d).and_then(|text| {
                text.map(|text| parse(&text).map_err(serde::de::Error::custom)).transpose()
            });
            format!("{read:?}")
        }
        let inputs = [
            r#""2022-05-26T07:59:28Z""#,
            r#""2022-05-26T07:59:28.5153647+02:00""#,
            r#""2022-05-26T07:59:28\u005a""#,
            r#""Wed, 13 Apr 2022 18:09:12 GMT""#,
            r#""Wed, 13 Apr 2022 18:09:12 G\u004dT""#,
            r#""bad""#,
            r#""\ud800""#,
            "null",
            "5",
            "true",
            "[]",
            "{}",
        ];
        let checks: [(&str, Reference, Reference); 4] = [
            (
                "rfc3339",
                |json| string_then(rfc3339::parse, json),
                |json| {
                    let mut d = serde_json::Deserializer::from_str(json);
                    format!("{:?}", rfc3339::deserialize(&mut d))
                },
            ),
            (
                "rfc3339::option",
                |json| option_then(rfc3339::parse, json),
                |json| {
                    let mut d = serde_json::Deserializer::from_str(json);
                    format!("{:?}", rfc3339::option::deserialize(&mut d))
                },
            ),
            (
                "rfc1123",
                |json| string_then(rfc1123::parse, json),
                |json| {
                    let mut d = serde_json::Deserializer::from_str(json);
                    format!("{:?}", rfc1123::deserialize(&mut d))
                },
            ),
            (
                "rfc1123::option",
                |json| option_then(rfc1123::parse, json),
                |json| {
                    let mut d = serde_json::Deserializer::from_str(json);
                    format!("{:?}", rfc1123::option::deserialize(&mut d))
                },
            ),
        ];
        for (name, reference, adapter) in checks {
            for json in inputs {
                assert_eq!(adapter(json), reference(json), "{name} {json}");
            }
        }
        // From a `Value` (owned strings) as well.
        let value = serde_json::json!("2022-05-26T07:59:28Z");
        assert_eq!(rfc3339::deserialize(value).unwrap(), datetime!(2022-05-26 07:59:28 UTC));
        let value = serde_json::json!(5);
        assert_eq!(
            rfc3339::option::deserialize(value).unwrap_err().to_string(),
            "invalid type: integer `5`, expected a string"
        );
    }

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(
            rfc3339::format(datetime!(2023-07-06 20:38:10.5153647 +02:00)),
            "2023-07-06T18:38:10.5153647Z"
        );
        assert_eq!(rfc3339::format(datetime!(2022-05-26 07:59:28 UTC)), "2022-05-26T07:59:28Z");
    }

    #[test]
    fn rfc1123_round_trips() {
        let date = datetime!(2022-04-13 18:09:12 UTC);
        assert_eq!(rfc1123::format(date), "Wed, 13 Apr 2022 18:09:12 GMT");
        assert_eq!(rfc1123::parse("Wed, 13 Apr 2022 18:09:12 GMT").unwrap(), date);
        assert_eq!(rfc1123::parse("Wed, 3 Apr 2022 18:09:12 GMT").unwrap().day(), 3);
        assert_eq!(
            rfc1123::format(datetime!(2022-04-13 20:09:12.9 +02:00)),
            "Wed, 13 Apr 2022 18:09:12 GMT"
        );
        for bad in [
            "",
            "13 Apr 2022 18:09:12 GMT",
            "Wed, 13 Apx 2022 18:09:12 GMT",
            "Wed, 13 Apr 2022 18:09:12 PST",
            "Wed, 31 Feb 2022 18:09:12 GMT",
            "Wed, 13 Apr 2022 18:09 GMT",
        ] {
            assert!(rfc1123::parse(bad).is_err(), "{bad}");
        }
    }
}
