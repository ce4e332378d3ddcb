//! E-mail subscriptions: what a subscriber asked for (filters, written
//! standard, how often, reminders) and the address it goes to.

use serde_json::Value;

use super::validation::{self as check, Errors};
use super::webhook::{kinds_and_areas, Filter};
use super::{FieldError, Invalid, Taxonomy};

crate::named_enum! {
    /// How often a subscriber hears of new notices.
    Frequency {
        Immediate => "immediate",
        Daily => "daily",
        Weekly => "weekly",
    }
}

crate::named_enum! {
    /// Where a subscription is in its life: waiting for its address to be
    /// confirmed, confirmed, or suspended (the relay refused the address
    /// for good).
    SubscriptionState {
        Pending => "pending",
        Confirmed => "confirmed",
        Suspended => "suspended",
    }
}

crate::named_enum! {
    /// The written standard a subscriber reads.
    MailLanguage {
        Nb => "nb",
        Nn => "nn",
    }
}

/// The longest address (RFC 5321's path limit, less the brackets).
const EMAIL_MAX: usize = 254;

/// A subscription as asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionInput {
    pub email: String,
    /// The kinds and areas asked for (no event types: a subscriber hears
    /// of notices entering the set).
    pub filter: Filter,
    pub language: MailLanguage,
    pub frequency: Frequency,
    pub reminders: bool,
}

const FIELDS: [&str; 6] = [
    "email",
    "kind",
    "area",
    "language",
    "frequency",
    "reminders",
];

/// Reads a subscription document: every bad field named.
pub fn parse(doc: &Value, taxonomy: &Taxonomy) -> Result<SubscriptionInput, Vec<FieldError>> {
    let mut errors = Errors::default();
    let fields = check::object_fields(doc, &FIELDS, &mut errors)?;
    let email = match fields.get("email") {
        None | Some(Value::Null) => {
            errors.add("email", Invalid::Required);
            None
        }
        Some(value) => errors.check("email", address(value)),
    };
    let (kinds, areas, area_matches) = kinds_and_areas(&mut errors, fields, taxonomy);
    let choice = |errors: &mut Errors, field: &str, default: &str, choices: String| -> String {
        match fields.get(field) {
            None | Some(Value::Null) => default.to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                errors.add(field, Invalid::NotAChoice { choices });
                default.to_owned()
            }
        }
    };
    let language = choice(&mut errors, "language", "nb", MailLanguage::names());
    let language = errors
        .check(
            "language",
            language
                .parse::<MailLanguage>()
                .map_err(|_| Invalid::NotAChoice {
                    choices: MailLanguage::names(),
                }),
        )
        .unwrap_or(MailLanguage::Nb);
    let frequency = choice(&mut errors, "frequency", "immediate", Frequency::names());
    let frequency = errors
        .check(
            "frequency",
            frequency
                .parse::<Frequency>()
                .map_err(|_| Invalid::NotAChoice {
                    choices: Frequency::names(),
                }),
        )
        .unwrap_or(Frequency::Immediate);
    let reminders = match fields.get("reminders") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.add("reminders", Invalid::NotBool);
            false
        }
    };
    errors.into_result(()).map(|()| SubscriptionInput {
        email: email.unwrap_or_default(),
        filter: Filter {
            events: Vec::new(),
            kinds,
            areas,
            area_matches,
        },
        language,
        frequency,
        reminders,
    })
}

/// An e-mail address as a relay takes it: `local@domain`, the domain with
/// a dot, no spaces, controls or brackets, at most 254 characters. Kept as
/// written but for the domain, which is lowercased.
pub fn address(value: &Value) -> Result<String, Invalid> {
    let Value::String(raw) = value else {
        return Err(Invalid::NotAString);
    };
    let raw = raw.trim();
    if raw.chars().count() > EMAIL_MAX {
        return Err(Invalid::TooLong {
            max: EMAIL_MAX,
            is: raw.chars().count(),
        });
    }
    let Some((local, domain)) = raw.rsplit_once('@') else {
        return Err(Invalid::NotAnEmail);
    };
    let odd = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"@".contains(c);
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty()
        || local.len() > 64
        || local.chars().any(odd)
        || !domain.contains('.')
        || domain.chars().any(odd)
        || !labels_ok
    {
        return Err(Invalid::NotAnEmail);
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_are_checked_and_their_domain_lowercased() {
        assert_eq!(
            address(&json!(" Kari.Nordmann@Kommune.NO ")).unwrap(),
            "Kari.Nordmann@kommune.no"
        );
        for bad in [
            "kari",
            "kari@",
            "@kommune.no",
            "kari@kommune",
            "kari nordmann@kommune.no",
            "kari@kommune..no",
            "kari@-kommune.no",
            "<kari@kommune.no>",
        ] {
            assert_eq!(address(&json!(bad)), Err(Invalid::NotAnEmail), "{bad}");
        }
    }

    #[test]
    fn a_subscription_names_every_bad_field_and_takes_defaults() {
        let taxonomy = Taxonomy::new(crate::seed::taxonomy());
        let errors = parse(
            &json!({"email": "x", "kind": ["event"], "frequency": "hourly", "language": "se", "reminders": "yes", "extra": 1}),
            &taxonomy,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for field in [
            "email",
            "kind[0]",
            "frequency",
            "language",
            "reminders",
            "extra",
        ] {
            assert!(fields.contains(&field), "{field}: {fields:?}");
        }
        let plain = parse(&json!({"email": "kari@kommune.no"}), &taxonomy).unwrap();
        assert_eq!(
            (plain.frequency, plain.language, plain.reminders),
            (Frequency::Immediate, MailLanguage::Nb, false)
        );
        assert_eq!(plain.filter, Filter::default(), "all notices");
    }
}
