//! Webhooks: what a receiver asked to hear of (its filters), what each
//! event is to it, its secret and the Standard Webhooks signature.

use std::net::IpAddr;

pub use super::address::is_private;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;
use uuid::Uuid;

use super::validation::{self as check, Errors};
use super::{EventType, FieldError, Invalid, Kind, Placement, Taxonomy};

/// A secret's prefix, as the specification writes it.
pub const SECRET_PREFIX: &str = "whsec_";
/// The longest description.
const DESCRIPTION_MAX: usize = 500;

/// A registered receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    pub description: String,
    pub filter: Filter,
    pub enabled: bool,
    /// Why Tavla disabled it (410 Gone, days of failures).
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a webhook is told of; an empty list takes in everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub events: Vec<EventType>,
    pub kinds: Vec<Kind>,
    /// The areas as the admin named them.
    pub areas: Vec<String>,
    /// Those and every area below them.
    pub area_matches: Vec<String>,
}

impl Filter {
    /// Whether a notice placed at `placement` is among those the filter takes in.
    pub fn takes(&self, placement: &Placement) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&placement.kind))
            && (self.area_matches.is_empty()
                || placement
                    .areas
                    .iter()
                    .any(|a| self.area_matches.contains(a)))
    }

    /// What an event is to this webhook, if anything: filters apply to the
    /// notice before and after the change, so a notice that moved out of
    /// them left this webhook's set (withdrawn), one that moved in entered it.
    pub fn event_type(&self, event_type: EventType, affects: &[Placement]) -> Option<EventType> {
        let before = affects.first().is_some_and(|p| self.takes(p));
        let after = affects.last().is_some_and(|p| self.takes(p));
        let seen = match event_type {
            EventType::Published => after.then_some(EventType::Published),
            EventType::Withdrawn => before.then_some(EventType::Withdrawn),
            EventType::Updated => match (before, after) {
                (true, true) => Some(EventType::Updated),
                (true, false) => Some(EventType::Withdrawn),
                (false, true) => Some(EventType::Published),
                (false, false) => None,
            },
        }?;
        (self.events.is_empty() || self.events.contains(&seen)).then_some(seen)
    }
}

/// A webhook as asked for: the fields of a registration, or of a webhook
/// with a merge patch applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookInput {
    pub url: String,
    pub description: String,
    pub filter: Filter,
    pub enabled: bool,
}

const FIELDS: [&str; 6] = ["url", "description", "events", "kind", "area", "enabled"];

/// The document of a webhook, as the API shows it (without its secret).
pub fn document(webhook: &Webhook) -> Value {
    serde_json::json!({
        "url": webhook.url,
        "description": webhook.description,
        "events": webhook.filter.events.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
        "kind": webhook.filter.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "area": webhook.filter.areas,
        "enabled": webhook.enabled,
    })
}

/// Reads a webhook document: every bad field named. `plain_http` allows
/// `http://` receivers (a private network's, with the setting that allows
/// them); otherwise only `https://`.
pub fn parse(
    doc: &Value,
    taxonomy: &Taxonomy,
    plain_http: bool,
) -> Result<WebhookInput, Vec<FieldError>> {
    let mut errors = Errors::default();
    let fields = check::object_fields(doc, &FIELDS, &mut errors)?;
    let url = match fields.get("url") {
        None | Some(Value::Null) => {
            errors.add("url", Invalid::Required);
            None
        }
        Some(value) => errors.check("url", receiver_url(value, plain_http)),
    };
    let description = errors
        .check(
            "description",
            match fields.get("description") {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(String::new()),
                Some(v) => check::text(v, DESCRIPTION_MAX, false),
            },
        )
        .unwrap_or_default();
    let events = names(
        &mut errors,
        fields,
        "events",
        |s| s.parse::<EventType>().ok(),
        || {
            EventType::ALL
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    let (kinds, areas, area_matches) = kinds_and_areas(&mut errors, fields, taxonomy);
    let enabled = match fields.get("enabled") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.add("enabled", Invalid::NotBool);
            true
        }
    };
    errors.into_result(()).map(|()| WebhookInput {
        url: url.unwrap_or_default(),
        description,
        filter: Filter {
            events,
            kinds,
            areas,
            area_matches,
        },
        enabled,
    })
}

/// A filter's `kind` and `area` lists, and the areas it takes in: those
/// named and every area under them.
pub(super) fn kinds_and_areas(
    errors: &mut Errors,
    fields: &Map<String, Value>,
    taxonomy: &Taxonomy,
) -> (Vec<Kind>, Vec<String>, Vec<String>) {
    let kinds = names(
        errors,
        fields,
        "kind",
        |s| s.parse::<Kind>().ok(),
        Kind::names,
    );
    let areas = names(
        errors,
        fields,
        "area",
        |s| taxonomy.get(s).map(|a| a.slug.clone()),
        || "the slugs of /api/v1/areas".to_owned(),
    );
    let area_matches = areas
        .iter()
        .flat_map(|a| taxonomy.with_descendants(a))
        .collect();
    (kinds, areas, area_matches)
}

/// A list of names (`events`, `kind`, `area`): absent, `null` or empty is
/// every one; each must be known, and named once.
fn names<T: PartialEq>(
    errors: &mut Errors,
    fields: &Map<String, Value>,
    field: &str,
    known: impl Fn(&str) -> Option<T>,
    choices: impl Fn() -> String,
) -> Vec<T> {
    let items = match fields.get(field) {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.add(field, Invalid::NotAList);
            return Vec::new();
        }
    };
    let mut found = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = format!("{field}[{i}]");
        match item.as_str().map(&known) {
            Some(Some(value)) if found.contains(&value) => errors.add(&name, Invalid::ListedTwice),
            Some(Some(value)) => found.push(value),
            Some(None) => errors.add(&name, Invalid::NotAChoice { choices: choices() }),
            None => errors.add(&name, Invalid::NotAString),
        }
    }
    found
}

/// A receiver's URL: absolute, `https` (or `http` where allowed), with no
/// user name or password in it. An IP address as its host must be public
/// unless private networks are allowed (`plain_http` says they are).
fn receiver_url(value: &Value, plain_http: bool) -> Result<String, Invalid> {
    let text = check::url(value)?;
    let url = url::Url::parse(&text).map_err(|e| Invalid::NotAbsoluteUrl {
        reason: e.to_string(),
    })?;
    if url.scheme() != "https" && !plain_http {
        return Err(Invalid::NotHttps);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Invalid::CredentialsInUrl);
    }
    if !plain_http {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if ip.is_some_and(is_private) {
            return Err(Invalid::PrivateAddress);
        }
    }
    Ok(text)
}

/// A new secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// One signature (`v1,…`): base64 HMAC-SHA256 over `id.timestamp.body`,
/// keyed with the base64-decoded part of the secret after `whsec_`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> String {
    let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
    let key = STANDARD
        .decode(encoded)
        .unwrap_or_else(|_| encoded.as_bytes().to_vec());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;

    fn placed(kind: Kind, area: &str) -> Placement {
        Placement {
            kind,
            areas: vec![area.to_owned()],
            language: Language::Nb,
        }
    }

    #[test]
    fn a_notice_moved_out_of_the_filter_is_withdrawn_for_it_and_one_moved_in_is_published() {
        let filter = Filter {
            kinds: vec![Kind::Grant],
            ..Filter::default()
        };
        let (grant, news) = (placed(Kind::Grant, "a"), placed(Kind::News, "a"));
        let updated = EventType::Updated;
        let moved = [grant.clone(), news.clone()];
        assert_eq!(
            filter.event_type(updated, &moved),
            Some(EventType::Withdrawn)
        );
        let moved_in = [news.clone(), grant.clone()];
        assert_eq!(
            filter.event_type(updated, &moved_in),
            Some(EventType::Published)
        );
        assert_eq!(
            filter.event_type(updated, std::slice::from_ref(&grant)),
            Some(updated)
        );
        assert_eq!(
            filter.event_type(updated, std::slice::from_ref(&news)),
            None
        );
        let only_withdrawals = Filter {
            events: vec![EventType::Withdrawn],
            ..filter
        };
        assert_eq!(
            only_withdrawals.event_type(updated, &moved),
            Some(EventType::Withdrawn)
        );
        assert_eq!(only_withdrawals.event_type(updated, &moved_in), None);
    }

    #[test]
    fn a_signature_is_base64_hmac_sha256_of_id_timestamp_and_body() {
        // The Standard Webhooks specification's own example.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }
}
