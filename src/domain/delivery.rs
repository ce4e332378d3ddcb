//! What went wrong with a webhook's deliveries, as values: the worker records
//! each in English (the API and the logs show that text), and the editor
//! pages say it in Norwegian from its variant. The recorded text is written
//! and read back here alone, so no other layer matches English.

use chrono::{DateTime, SecondsFormat, Utc};

/// Why an attempt got no answer from the receiver. An attempt that got one
/// is told by its HTTP status instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unanswered {
    /// No answer within the attempt's time limit.
    Timeout,
    /// No connection: refused, unreachable, or a name with no (public) address.
    NoConnection,
    /// A redirect, which Tavla does not follow.
    Redirect,
    /// The request failed in another way.
    RequestFailed,
    /// The webhook was deleted before the attempt.
    Deleted,
    /// The webhook was disabled before the attempt.
    Disabled,
    /// The webhook's address is a private one, which is not allowed.
    PrivateAddress,
    /// Tavla could not read the notice to send; it tries again.
    NoticeUnread,
    /// Tavla could not read the webhook; it tries again.
    WebhookUnread,
}

impl Unanswered {
    const ALL: [Self; 9] = [
        Self::Timeout,
        Self::NoConnection,
        Self::Redirect,
        Self::RequestFailed,
        Self::Deleted,
        Self::Disabled,
        Self::PrivateAddress,
        Self::NoticeUnread,
        Self::WebhookUnread,
    ];

    /// How the record begins.
    fn phrase(self) -> &'static str {
        match self {
            Self::Timeout => "no answer within 10 s",
            Self::NoConnection => "no connection",
            Self::Redirect => "a redirect, which is not followed",
            Self::RequestFailed => "the request failed",
            Self::Deleted => "the webhook was deleted",
            Self::Disabled => "the webhook is disabled",
            Self::PrivateAddress => "the webhook's address is private",
            Self::NoticeUnread => "the notice could not be read",
            Self::WebhookUnread => "the webhook could not be read",
        }
    }

    /// The attempt's record: what went wrong, then the detail (if any).
    pub fn recorded(self, detail: &str) -> String {
        match detail.is_empty() {
            true => self.phrase().to_owned(),
            false => format!("{}: {detail}", self.phrase()),
        }
    }

    /// What a record written by `recorded` says; `None` for any other text.
    pub fn of(record: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|failure| {
            record
                .strip_prefix(failure.phrase())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(": "))
        })
    }
}

/// Why Tavla disabled a webhook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisabledReason {
    /// Its receiver answered `410 Gone`.
    Gone,
    /// Every attempt has failed since then.
    FailingSince(DateTime<Utc>),
}

const GONE: &str = "the receiver answered 410 Gone";
const FAILING_SINCE: &str = "every attempt failed since ";

impl std::fmt::Display for DisabledReason {
    /// The reason as the webhook keeps it, and the API shows it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Gone => f.write_str(GONE),
            Self::FailingSince(since) => write!(
                f,
                "{FAILING_SINCE}{}",
                since.to_rfc3339_opts(SecondsFormat::Secs, true)
            ),
        }
    }
}

impl DisabledReason {
    /// The reason a webhook keeps, read back; `None` for any other text.
    pub fn of(kept: &str) -> Option<Self> {
        if kept == GONE {
            return Some(Self::Gone);
        }
        let since = kept.strip_prefix(FAILING_SINCE)?;
        DateTime::parse_from_rfc3339(since)
            .ok()
            .map(|since| Self::FailingSince(since.with_timezone(&Utc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_is_read_back_from_its_record_with_or_without_detail() {
        for failure in Unanswered::ALL {
            assert_eq!(Unanswered::of(&failure.recorded("")), Some(failure));
            let detailed = failure.recorded("tcp connect error: Connection refused");
            assert_eq!(Unanswered::of(&detailed), Some(failure), "{detailed}");
        }
        assert_eq!(Unanswered::of("the receiver answered 500"), None);
        assert_eq!(Unanswered::of("no connectionless"), None);
    }

    #[test]
    fn a_disabled_reason_is_read_back_from_what_the_webhook_keeps() {
        let since = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        for reason in [DisabledReason::Gone, DisabledReason::FailingSince(since)] {
            assert_eq!(DisabledReason::of(&reason.to_string()), Some(reason));
        }
        assert_eq!(
            DisabledReason::FailingSince(since).to_string(),
            "every attempt failed since 2026-12-01T10:00:00Z"
        );
        assert_eq!(DisabledReason::of("an admin said so"), None);
    }
}
