//! Date-time wire formats used by Communication Services.
//!
//! * [`rfc3339`]: JSON bodies (`"2023-07-06T18:38:10.5153647+00:00"`, `"2022-05-26T07:59:28Z"`).
//!   Parsed and formatted by `time`'s well-known [`Rfc3339`] format: any number of
//!   fractional-second digits (past the ninth they are truncated to nanoseconds), `T`/`t`/space
//!   as the separator and `Z`/`z` or a `±hh:mm` offset. Formatting writes UTC, which `time`
//!   writes with a `Z` suffix, and only the fractional digits that are needed.
//! * [`rfc1123`]: HTTP headers (`x-ms-date`, `Repeatability-First-Sent`):
//!   `"Wed, 13 Apr 2022 18:09:12 GMT"`, always in GMT, no fractional seconds. Parsed and
//!   formatted by azure_core's RFC 7231 helpers ([`azure_core::time::parse_rfc7231`],
//!   [`azure_core::time::to_rfc7231`]), the IMF-fixdate form of RFC 1123.
//!
//! Both modules double as serde adapters (`#[serde(with = "crate::datetime::rfc3339")]`)
//! and have an `option` submodule for `Option<OffsetDateTime>` fields, used as
//! `#[serde(default, skip_serializing_if = "Option::is_none", with = "…::option")]`.

use azure_core::error::ErrorKind;
use time::{format_description::well_known::Rfc3339, OffsetDateTime, UtcOffset};

fn conversion_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::DataConversion, message)
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

    /// Parses an RFC 3339 timestamp with an explicit `Z` or `±hh:mm` offset, with `time`'s
    /// [`Rfc3339`] format as is (every shape the services send is RFC 3339, including the
    /// seven fractional digits of .NET's `DateTimeOffset`).
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::DataConversion`] naming the input and what is wrong.
    pub fn parse(input: &str) -> azure_core::Result<OffsetDateTime> {
        OffsetDateTime::parse(input, &Rfc3339).map_err(|what| {
            conversion_error(format!(
                "invalid RFC 3339 date-time {input:?}: {what} (expected e.g. \"2023-07-06T18:38:10.5153647+00:00\" or \"2022-05-26T07:59:28Z\")"
            ))
        })
    }

    /// Formats in UTC with a `Z` suffix and up to nine fractional digits (trailing zeros
    /// dropped, none when the time has whole seconds), with `time`'s [`Rfc3339`] format.
    ///
    /// The conversion to UTC is the one thing added: `time` writes `Z` only for a UTC offset,
    /// and the services' own payloads (and the documented examples the round-trip tests
    /// compare with) write UTC as `Z`. Years before 0, which RFC 3339 cannot write and no
    /// service sends, are written as `time` displays them (`-0001-01-01 0:00:00.0 +00:00:00`),
    /// which is not RFC 3339; the serde serializers refuse them instead.
    pub fn format(value: OffsetDateTime) -> String {
        let utc = value.to_offset(UtcOffset::UTC);
        utc.format(&Rfc3339).unwrap_or_else(|_| utc.to_string())
    }

    fn try_format(value: OffsetDateTime) -> Result<String, String> {
        value
            .to_offset(UtcOffset::UTC)
            .format(&Rfc3339)
            .map_err(|_| format!("{value} cannot be written in RFC 3339 (years 0000 to 9999 only)"))
    }

    /// Serde serializer (see [`format()`]); a year before 0 is an error.
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&try_format(*value).map_err(serde::ser::Error::custom)?)
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
                Some(value) => super::serialize(value, serializer),
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

    /// Formats as `"Wed, 13 Apr 2022 18:09:12 GMT"` (converted to GMT, seconds truncated),
    /// with [`azure_core::time::to_rfc7231`].
    ///
    /// The conversion to GMT is added because `to_rfc7231` writes the fields as they are and
    /// appends `GMT` whatever the offset.
    pub fn format(value: OffsetDateTime) -> String {
        azure_core::time::to_rfc7231(&value.to_offset(UtcOffset::UTC))
    }

    /// Parses `"Wed, 13 Apr 2022 18:09:12 GMT"` with [`azure_core::time::parse_rfc7231`]. The
    /// weekday must be a valid name but is not cross-checked.
    ///
    /// Two differences from `parse_rfc7231` are kept, by rewriting the input into its form
    /// first:
    ///
    /// * the day may have one digit (`"Sun, 3 Apr 2022 …"`), which RFC 1123 allows (RFC 822's
    ///   `1*2DIGIT` day) and `parse_rfc7231` does not;
    /// * the zone may be `UTC` as well as `GMT`.
    ///
    /// Both were accepted by the hand-written parser this replaces, and are kept so that no
    /// header that parsed before fails now. None of the recorded sessions or documented
    /// examples in this repository uses either form: every date they carry is an IMF-fixdate.
    ///
    /// Surrounding whitespace (header values are read as they are) is ignored.
    ///
    /// # Errors
    ///
    /// Returns an error of kind [`ErrorKind::DataConversion`] naming the input and what is wrong.
    pub fn parse(input: &str) -> azure_core::Result<OffsetDateTime> {
        azure_core::time::parse_rfc7231(&imf_fixdate(input.trim())).map_err(|_| {
            conversion_error(format!(
                "invalid RFC 1123 date {input:?}: not of the form \"Www, DD Mon YYYY hh:mm:ss GMT\" (expected e.g. \"Wed, 13 Apr 2022 18:09:12 GMT\")"
            ))
        })
    }

    /// `input` with a one-digit day padded and a `UTC` zone written `GMT`; anything else as is.
    fn imf_fixdate(input: &str) -> std::borrow::Cow<'_, str> {
        let mut text = std::borrow::Cow::Borrowed(input);
        if let Some((weekday, rest)) = input.split_once(", ") {
            let day_len = rest.find(' ').unwrap_or(rest.len());
            if day_len == 1 && rest.as_bytes()[0].is_ascii_digit() {
                text = format!("{weekday}, 0{rest}").into();
            }
        }
        if let Some(head) = text.strip_suffix(" UTC") {
            text = format!("{head} GMT").into();
        }
        text
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

    /// The two forms kept on top of azure_core's RFC 7231 parser, which refuses them.
    #[test]
    fn rfc1123_keeps_one_digit_days_and_utc() {
        for text in ["Sun, 3 Apr 2022 18:09:12 GMT", "Sun, 03 Apr 2022 18:09:12 UTC"] {
            assert!(azure_core::time::parse_rfc7231(text).is_err(), "{text}");
            assert_eq!(rfc1123::parse(text).unwrap(), datetime!(2022-04-03 18:09:12 UTC), "{text}");
        }
        assert_eq!(
            rfc1123::parse("  Sun, 3 Apr 2022 18:09:12 UTC ").unwrap(),
            datetime!(2022-04-03 18:09:12 UTC)
        );
        for bad in ["Sun, 3 Apr 2022 18:09:12 PST", "Sun, x Apr 2022 18:09:12 GMT", "Sun,  3 Apr"] {
            assert!(rfc1123::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rfc3339_formats_what_it_cannot_write_without_panicking() {
        let date = datetime!(-0001-01-01 00:00 UTC);
        assert_eq!(rfc3339::format(date), "-0001-01-01 0:00:00.0 +00:00:00");
        let error = rfc3339::serialize(&date, serde_json::value::Serializer).unwrap_err();
        assert!(error.to_string().contains("cannot be written in RFC 3339"), "{error}");
    }
}
