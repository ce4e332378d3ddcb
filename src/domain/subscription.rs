//! E-mail subscriptions: what a subscriber asked for (filters, written
//! standard, how often, reminders) and the address it goes to.

use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Oslo;
use serde_json::Value;

use super::notice::{Details, Notice};
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

/// How long before a grant's deadline its reminder goes out.
pub const GRANT_REMINDER: Duration = Duration::days(7);
/// How long before a webinar starts its reminder goes out.
pub const WEBINAR_REMINDER: Duration = Duration::days(1);

/// When the reminder of `notice` is due, if it has one that is not past at
/// `now`: a week before an open grant's deadline (at once if that is
/// closer), the day before a webinar that is not cancelled (none for a
/// webinar published within that day: its own e-mail is the reminder).
pub fn reminder_due(notice: &Notice, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match &notice.details {
        Details::Grant(grant) => {
            let deadline = grant.deadline.filter(|d| *d > now)?;
            Some((deadline - GRANT_REMINDER).max(now))
        }
        Details::Webinar(webinar) if !webinar.cancelled => {
            let starts = webinar.starts_at.filter(|s| *s > now)?;
            let due = starts - WEBINAR_REMINDER;
            (notice.published_at < due).then_some(due)
        }
        Details::Webinar(_) | Details::News => None,
    }
}

/// When the first digest after `after` goes out, at `time` in Europe/Oslo:
/// the next day with that hour for `daily`, the next Monday for `weekly`;
/// `None` for `immediate`. An hour that a change to summer time skips is
/// taken an hour later.
pub fn next_digest(
    frequency: Frequency,
    after: DateTime<Utc>,
    time: NaiveTime,
) -> Option<DateTime<Utc>> {
    let weekly = match frequency {
        Frequency::Immediate => return None,
        Frequency::Daily => false,
        Frequency::Weekly => true,
    };
    let mut day = after.with_timezone(&Oslo).date_naive();
    loop {
        if !weekly || day.weekday() == Weekday::Mon {
            let local = day.and_time(time);
            let at = Oslo
                .from_local_datetime(&local)
                .earliest()
                .or_else(|| {
                    Oslo.from_local_datetime(&(local + Duration::hours(1)))
                        .earliest()
                })
                .map(|at| at.to_utc());
            if let Some(at) = at.filter(|at| *at > after) {
                return Some(at);
            }
        }
        day = day.succ_opt()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn addresses_are_checked_and_their_domain_lowercased() {
        assert_eq!(
            address(&json!(" Kari.Nordmann@Example.ORG ")).unwrap(),
            "Kari.Nordmann@example.org"
        );
        for bad in [
            "kari",
            "kari@",
            "@example.org",
            "kari@kommune",
            "kari nordmann@example.org",
            "kari@kommune..no",
            "kari@-example.org",
            "<kari@example.org>",
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
        let plain = parse(&json!({"email": "kari@example.org"}), &taxonomy).unwrap();
        assert_eq!(
            (plain.frequency, plain.language, plain.reminders),
            (Frequency::Immediate, MailLanguage::Nb, false)
        );
        assert_eq!(plain.filter, Filter::default(), "all notices");
    }

    #[test]
    fn digests_go_out_at_their_hour_in_oslo_daily_or_on_mondays() {
        let seven = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        // A Wednesday in winter (UTC+1): today's 07:00 has passed at 09:00.
        let wednesday = at("2026-01-07T09:00:00+01:00");
        assert_eq!(next_digest(Frequency::Immediate, wednesday, seven), None);
        assert_eq!(
            next_digest(Frequency::Daily, wednesday, seven),
            Some(at("2026-01-08T07:00:00+01:00"))
        );
        assert_eq!(
            next_digest(Frequency::Weekly, wednesday, seven),
            Some(at("2026-01-12T07:00:00+01:00"))
        );
        let early = at("2026-01-12T06:59:00+01:00");
        assert_eq!(
            next_digest(Frequency::Weekly, early, seven),
            Some(at("2026-01-12T07:00:00+01:00")),
            "later the same Monday"
        );
        // Summer time (UTC+2), and 02:30 on the night clocks skip it.
        assert_eq!(
            next_digest(Frequency::Daily, at("2026-06-01T08:00:00+02:00"), seven),
            Some(at("2026-06-02T07:00:00+02:00"))
        );
        let skipped = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            next_digest(Frequency::Daily, at("2026-03-28T12:00:00+01:00"), skipped),
            Some(at("2026-03-29T03:30:00+02:00"))
        );
    }
}
