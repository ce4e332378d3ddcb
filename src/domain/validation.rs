//! Field errors and the checks shared by every input.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use super::time::start_of_oslo_day;

/// One bad field or parameter, named as the client wrote it (`grant.deadline`, `areas[1]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Collects every error of one input, so the client hears of all at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Keeps the value, or records the error and gives `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.add(field, m)).ok()
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// Characters no text of Tavla may hold: they cannot appear in XML 1.0 (C0
/// controls, U+FFFE, U+FFFF) or are invisible controls (DEL, C1). Tab and
/// newlines are allowed where `multiline`.
fn forbidden(c: char, multiline: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => !multiline,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// Characters that change the direction of the text around them (embeddings,
/// overrides, isolates): in a title they can make it read as something else.
fn redirects(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing by themselves: zero-width characters and
/// joiners, the byte-order mark, soft hyphens, variation selectors,
/// combining marks (which need a letter to sit on) and Hangul fillers.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{206f}'
        | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}'
        | '\u{e0000}'..='\u{e0fff}')
}

/// Plain text: a string, trimmed, 1..=`max` characters, with something
/// visible, without control characters, direction overrides or Unicode
/// line and paragraph separators. Newlines are normalised to `\n`.
pub fn text(value: &Value, max: usize, multiline: bool) -> Result<String, String> {
    let Value::String(raw) = value else {
        return Err("must be a string".into());
    };
    let text = raw.trim().replace("\r\n", "\n").replace('\r', "\n");
    if text.is_empty() {
        return Err("must not be empty".into());
    }
    let length = text.chars().count();
    if length > max {
        return Err(format!("must be at most {max} characters (is {length})"));
    }
    if let Some((at, c)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| forbidden(*c, multiline))
    {
        let what = if matches!(c, '\n' | '\r' | '\t') {
            "a line break or tab, which"
        } else {
            "a control character, which"
        };
        return Err(format!(
            "contains {what} is not allowed here (U+{:04X} at character {})",
            c as u32,
            at + 1
        ));
    }
    let odd = |c: char| redirects(c) || matches!(c, '\u{2028}' | '\u{2029}');
    if let Some((at, c)) = text.chars().enumerate().find(|(_, c)| odd(*c)) {
        let what = if redirects(c) {
            "a character that changes the direction of the text"
        } else {
            "a Unicode line or paragraph separator"
        };
        return Err(format!(
            "contains {what}, which is not allowed (U+{:04X} at character {})",
            c as u32,
            at + 1
        ));
    }
    if text.chars().all(|c| c.is_whitespace() || invisible(c)) {
        return Err("has no visible character".into());
    }
    Ok(text)
}

/// Optional plain text: absent or `null` is `None`.
pub fn optional_text(
    value: Option<&Value>,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => text(v, max, multiline).map(Some),
    }
}

/// An absolute http(s) URL.
pub fn url(value: &Value) -> Result<String, String> {
    let Value::String(raw) = value else {
        return Err("must be a string".into());
    };
    if raw.len() > 2000 {
        return Err("must be at most 2000 characters".into());
    }
    match url::Url::parse(raw.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        Ok(_) => Err("must be an http:// or https:// URL".into()),
        Err(e) => Err(format!("is not an absolute URL ({e})")),
    }
}

pub fn optional_url(value: Option<&Value>) -> Result<Option<String>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => url(v).map(Some),
    }
}

/// An RFC 3339 instant with its offset, e.g. `2026-12-01T12:00:00+01:00`.
pub fn instant(value: &Value) -> Result<DateTime<Utc>, String> {
    let Value::String(raw) = value else {
        return Err("must be an RFC 3339 instant string".into());
    };
    let at = DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| super::time::truncate_to_micros(at.with_timezone(&Utc)))
        .map_err(|_| {
            format!(
                "{raw:?} is not an RFC 3339 instant with an offset, like 2026-12-01T12:00:00+01:00"
            )
        })?;
    if !super::time::in_range(at) {
        return Err(super::time::out_of_range_message());
    }
    Ok(at)
}

/// An instant, or a date meaning 00:00 Europe/Oslo that day.
pub fn instant_or_date(value: &Value) -> Result<DateTime<Utc>, String> {
    if let Value::String(raw) = value {
        if let Ok(date) = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
            use chrono::Datelike;
            if !super::time::YEARS.contains(&date.year()) {
                return Err(super::time::out_of_range_message());
            }
            return Ok(start_of_oslo_day(date));
        }
    }
    instant(value).map_err(|m| format!("{m}, or a date like 2026-12-01"))
}

pub fn optional_instant(value: Option<&Value>) -> Result<Option<DateTime<Utc>>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => instant(v).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text(&json!("  Hei  "), 10, false), Ok("Hei".into()));
        assert!(text(&json!("   "), 10, false)
            .unwrap_err()
            .contains("empty"));
        assert!(text(&json!("æøå".repeat(4)), 10, false)
            .unwrap_err()
            .contains("at most 10"));
        assert!(text(&json!(5), 10, false).unwrap_err().contains("string"));
    }

    #[test]
    fn control_characters_are_refused_and_named() {
        let error = text(&json!("Hei\u{7}du"), 100, true).unwrap_err();
        assert!(error.contains("U+0007 at character 4"), "{error}");
        assert!(text(&json!("a\u{0}"), 100, true).is_err());
        assert!(text(&json!("a\u{85}b"), 100, true).is_err());
        assert!(text(&json!("a\u{fffe}b"), 100, true).is_err());
        assert!(text(&json!("to\nlinjer"), 100, false).is_err());
        assert_eq!(
            text(&json!("to\r\nlinjer"), 100, true),
            Ok("to\nlinjer".into())
        );
        assert!(text(&json!("]]> <script> 🎉 «æøå» –"), 100, false).is_ok());
    }

    #[test]
    fn text_with_nothing_visible_is_refused() {
        for raw in [
            "\u{200b}\u{200b}",
            "\u{feff}",
            "\u{0301}\u{0308}",
            "\u{3164}\u{115f}",
            " \u{2060} \u{00ad} ",
            "\u{fe0f}",
        ] {
            let error = text(&json!(raw), 100, false).unwrap_err();
            assert!(error.contains("no visible character"), "{raw:?}: {error}");
        }
        assert!(
            text(&json!("e\u{0301}"), 100, false).is_ok(),
            "a mark on a letter"
        );
        assert!(text(&json!("Hei\u{200b}du"), 100, false).is_ok());
        assert!(
            text(&json!("👩\u{200d}⚕\u{fe0f}"), 100, false).is_ok(),
            "an emoji sequence"
        );
    }

    #[test]
    fn direction_overrides_and_unicode_separators_are_refused() {
        for c in [
            '\u{202e}', '\u{202a}', '\u{2066}', '\u{2069}', '\u{2028}', '\u{2029}',
        ] {
            let error = text(&json!(format!("Tilskudd {c}fdp")), 100, true).unwrap_err();
            assert!(
                error.contains(&format!("U+{:04X} at character 10", c as u32)),
                "{error}"
            );
        }
        assert!(
            text(&json!("\u{5e9}\u{5dc}\u{5d5}\u{5dd} og hei"), 100, false).is_ok(),
            "right-to-left letters"
        );
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(url(&json!("https://helsedirektoratet.no/tilskudd")).is_ok());
        assert!(url(&json!("javascript:alert(1)")).is_err());
        assert!(url(&json!("/relative")).is_err());
        assert!(url(&json!("ftp://x.no")).is_err());
    }

    #[test]
    fn dates_outside_the_years_tavla_can_write_are_refused() {
        for raw in [
            "0000-01-01",
            "9999-12-31T23:00:00-12:00",
            "1899-12-31T12:00:00Z",
            "+10000-01-01",
        ] {
            let error = instant_or_date(&json!(raw)).unwrap_err();
            assert!(
                error.contains("1900") || error.contains("not"),
                "{raw}: {error}"
            );
        }
        assert!(instant(&json!("9000-12-31T12:00:00+01:00")).is_ok());
    }

    #[test]
    fn dates_mean_midnight_in_oslo() {
        let at = instant_or_date(&json!("2020-10-27")).unwrap();
        assert_eq!(at.to_rfc3339(), "2020-10-26T23:00:00+00:00");
        assert!(instant(&json!("2020-10-27")).is_err());
        assert!(
            instant(&json!("2020-10-27T10:00:00")).is_err(),
            "an offset is required"
        );
    }
}
