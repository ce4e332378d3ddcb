//! Request bodies: the content type checked, the size bounded, the JSON parsed.

use actix_web::http::header;
use actix_web::web::{self, BytesMut};
use actix_web::HttpRequest;
use futures_util::StreamExt;
use serde_json::Value;

use crate::http::problem::ApiError;

/// The largest body an admin request may have: far above any real notice
/// (a 50 000-character body in UTF-8 is at most 200 000 bytes).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub const JSON: &str = "application/json";
pub const MERGE_PATCH: &str = "application/merge-patch+json";

/// The body as JSON, if its content type is one of `accepted`.
pub async fn json(
    request: &HttpRequest,
    mut payload: web::Payload,
    accepted: &[&str],
) -> Result<Value, ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    match content_type {
        Some(ct) if accepted.contains(&ct.as_str()) => {}
        other => {
            return Err(ApiError::UnsupportedMediaType(format!(
                "send the body as {} (got {})",
                accepted.join(" or "),
                other.as_deref().unwrap_or("no Content-Type")
            )))
        }
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
    }
    let mut bytes = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("the body could not be read: {e}")))?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge(MAX_BODY_BYTES));
        }
        bytes.extend_from_slice(&chunk);
    }
    parse(&bytes).map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))
}

/// JSON with every object's keys distinct: a key given twice is an error
/// (which value was meant cannot be known), not the last one silently winning.
pub fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice::<Strict>(bytes).map(|strict| strict.0)
}

/// A JSON value read by a visitor that refuses duplicate keys.
struct Strict(Value);

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "the key {key:?} appears twice in one object"
                )));
            }
            let Strict(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn json_is_read_as_serde_json_reads_it() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "æøå «»"], "b": {"c": {}}, "d": []}"#;
        assert_eq!(
            parse(text.as_bytes()).unwrap(),
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
        assert_eq!(parse(b"12").unwrap(), json!(12));
        assert!(parse(b"{\"a\": 1,}").is_err());
    }

    #[test]
    fn a_key_given_twice_is_refused_at_any_depth() {
        let error = parse(br#"{"title": "A", "title": "B"}"#).unwrap_err();
        assert!(
            error.to_string().contains("\"title\" appears twice"),
            "{error}"
        );
        assert!(parse(br#"{"grant": {"deadline": null, "deadline": null}}"#).is_err());
        assert!(
            parse(br#"[{"a": 1}, {"a": 2}]"#).is_ok(),
            "the same key in two objects is fine"
        );
    }
}
