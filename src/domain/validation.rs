//! Field errors and the checks shared by every input.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use super::invalid::Invalid;
use super::time::start_of_oslo_day;

/// One bad field or parameter, named as the client wrote it (`grant.deadline`, `areas[1]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    /// Which rule it breaks, stable across wordings: `required`, `too-long`,
    /// `unknown-area`, `not-an-instant`, …
    pub code: String,
    /// The rule, in English.
    pub message: String,
    /// The rule itself, for those who say it in another language.
    #[serde(skip)]
    pub invalid: Invalid,
}

impl FieldError {
    pub fn new(field: impl Into<String>, invalid: Invalid) -> Self {
        Self {
            field: field.into(),
            code: invalid.code().to_owned(),
            message: invalid.to_string(),
            invalid,
        }
    }
}

/// Collects every error of one input, so the client hears of all at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, invalid: Invalid) {
        self.0.push(FieldError::new(field, invalid));
    }

    /// Keeps the value, or records the error and gives `None`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
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

/// The fields of a request document, which must be a JSON object; a field
/// not among `allowed` is named in `errors`.
pub fn object_fields<'a>(
    doc: &'a Value,
    allowed: &[&str],
    errors: &mut Errors,
) -> Result<&'a serde_json::Map<String, Value>, Vec<FieldError>> {
    let Value::Object(fields) = doc else {
        return Err(vec![FieldError::new(
            "",
            Invalid::NotAnObject { document: true },
        )]);
    };
    for key in fields.keys() {
        if !allowed.contains(&key.as_str()) {
            let allowed = allowed.join(", ");
            errors.add(key, Invalid::UnknownField { allowed });
        }
    }
    Ok(fields)
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
pub fn text(value: &Value, max: usize, multiline: bool) -> Result<String, Invalid> {
    let Value::String(raw) = value else {
        return Err(Invalid::NotAString);
    };
    let text = raw.trim().replace("\r\n", "\n").replace('\r', "\n");
    if text.is_empty() {
        return Err(Invalid::Empty);
    }
    let length = text.chars().count();
    if length > max {
        return Err(Invalid::TooLong { max, is: length });
    }
    let odd =
        |c: char| forbidden(c, multiline) || redirects(c) || matches!(c, '\u{2028}' | '\u{2029}');
    if let Some((at, c)) = text.chars().enumerate().find(|(_, c)| odd(*c)) {
        let (code, at) = (c as u32, at + 1);
        return Err(match c {
            '\n' | '\r' | '\t' => Invalid::LineBreak { code, at },
            '\u{2028}' | '\u{2029}' => Invalid::Separator { code, at },
            c if redirects(c) => Invalid::Redirect { code, at },
            _ => Invalid::Control { code, at },
        });
    }
    if text.chars().all(|c| c.is_whitespace() || invisible(c)) {
        return Err(Invalid::NothingVisible);
    }
    Ok(text)
}

/// Optional plain text: absent or `null` is `None`.
pub fn optional_text(
    value: Option<&Value>,
    max: usize,
    multiline: bool,
) -> Result<Option<String>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => text(v, max, multiline).map(Some),
    }
}

/// An absolute http(s) URL.
pub fn url(value: &Value) -> Result<String, Invalid> {
    const MAX: usize = 2000;
    let Value::String(raw) = value else {
        return Err(Invalid::NotAString);
    };
    if raw.len() > MAX {
        return Err(Invalid::UrlTooLong { max: MAX });
    }
    match url::Url::parse(raw.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        Ok(_) => Err(Invalid::NotHttp),
        Err(e) => Err(Invalid::NotAbsoluteUrl {
            reason: e.to_string(),
        }),
    }
}

pub fn optional_url(value: Option<&Value>) -> Result<Option<String>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => url(v).map(Some),
    }
}

/// An RFC 3339 instant with its offset, e.g. `2026-12-01T12:00:00+01:00`.
pub fn instant(value: &Value) -> Result<DateTime<Utc>, Invalid> {
    let Value::String(raw) = value else {
        return Err(Invalid::NotAnInstant {
            raw: None,
            date_allowed: false,
        });
    };
    let at = DateTime::parse_from_rfc3339(raw.trim())
        .map(|at| super::time::truncate_to_micros(at.with_timezone(&Utc)))
        .map_err(|_| Invalid::NotAnInstant {
            raw: Some(raw.clone()),
            date_allowed: false,
        })?;
    if !super::time::in_range(at) {
        return Err(super::time::out_of_range());
    }
    Ok(at)
}

/// An instant, or a date meaning 00:00 Europe/Oslo that day.
pub fn instant_or_date(value: &Value) -> Result<DateTime<Utc>, Invalid> {
    if let Value::String(raw) = value {
        if let Ok(date) = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
            use chrono::Datelike;
            if !super::time::YEARS.contains(&date.year()) {
                return Err(super::time::out_of_range());
            }
            return Ok(start_of_oslo_day(date));
        }
    }
    instant(value).map_err(|invalid| match invalid {
        Invalid::NotAnInstant { raw, .. } => Invalid::NotAnInstant {
            raw,
            date_allowed: true,
        },
        other => other,
    })
}

pub fn optional_instant(value: Option<&Value>) -> Result<Option<DateTime<Utc>>, Invalid> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => instant(v).map(Some),
    }
}

/// Removes what XML 1.0 cannot carry at all (control characters other than
/// tab and newlines, and the noncharacters U+FFFE/U+FFFF), so any stored
/// text still makes a well-formed feed. Escaping is the writer's job.
pub fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || (('\u{20}'..='\u{D7FF}').contains(&c))
                || (('\u{E000}'..='\u{FFFD}').contains(&c))
                || c >= '\u{10000}'
        })
        .collect()
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
            .to_string()
            .contains("empty"));
        assert!(text(&json!("æøå".repeat(4)), 10, false)
            .unwrap_err()
            .to_string()
            .contains("at most 10"));
        assert!(text(&json!(5), 10, false)
            .unwrap_err()
            .to_string()
            .contains("string"));
    }

    #[test]
    fn control_characters_are_refused_and_named() {
        let error = text(&json!("Hei\u{7}du"), 100, true)
            .unwrap_err()
            .to_string();
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
            let error = text(&json!(raw), 100, false).unwrap_err().to_string();
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
            let error = text(&json!(format!("Tilskudd {c}fdp")), 100, true)
                .unwrap_err()
                .to_string();
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
            let error = instant_or_date(&json!(raw)).unwrap_err().to_string();
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
