//! Why an input is refused: one variant per rule, with a stable code that
//! clients and the pages' translations key on, and the English the API says.

use std::fmt;

use super::markdown::TooCostly;

/// A broken rule, with what its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// The document, or a nested field, is not a JSON object.
    NotAnObject {
        document: bool,
    },
    /// A field the server sets.
    ReadOnly,
    UnknownField {
        allowed: String,
    },
    Required,
    /// A choice is missing (`kind`): one of `choices`.
    RequiredChoice {
        choices: String,
    },
    /// Not one of `choices`.
    NotAChoice {
        choices: String,
    },
    /// A notice keeps its kind.
    KindFixed,
    /// `state` through a write: draft or published.
    NotAState,
    /// Withdrawing is a DELETE.
    WithdrawByDelete,
    NotAString,
    Empty,
    TooLong {
        max: usize,
        is: usize,
    },
    /// A line break or tab where one line is wanted.
    LineBreak {
        code: u32,
        at: usize,
    },
    Control {
        code: u32,
        at: usize,
    },
    /// A character that changes the direction of the text.
    Redirect {
        code: u32,
        at: usize,
    },
    /// U+2028 or U+2029.
    Separator {
        code: u32,
        at: usize,
    },
    NothingVisible,
    /// A Markdown body too costly to render.
    Costly(TooCostly),
    UrlTooLong {
        max: usize,
    },
    NotHttp,
    /// A webhook's receiver must be reached over TLS.
    NotHttps,
    /// A user name or password in a receiver's URL.
    CredentialsInUrl,
    /// A receiver on a loopback, private or link-local address.
    PrivateAddress,
    /// Not an e-mail address a relay takes.
    NotAnEmail,
    NotAbsoluteUrl {
        reason: String,
    },
    NotAnInstant {
        raw: Option<String>,
        date_allowed: bool,
    },
    YearsBetween {
        from: i32,
        to: i32,
    },
    NotInTheFuture,
    AreasRequired,
    AreasCount {
        max: usize,
    },
    NotAreaSlug,
    UnknownArea {
        slug: String,
    },
    /// A parent package: notices go in its sub-packages.
    NotLinkable {
        name: String,
    },
    /// A token's area that cannot be delegated.
    NotDelegable {
        name: String,
    },
    ListedTwice,
    AdminAreas,
    EditorAreas,
    /// `grant` on a webinar, `webinar` on a grant.
    OnlyFor {
        kind: String,
    },
    NotBool,
    StartRequired,
    EndBeforeStart,
    EndWithoutStart,
    NoteWithoutCancel,
    AmountRange {
        max: i64,
    },
    NotKroner,
    /// One applicant group breaks the rule inside.
    Applicant(Box<Invalid>),
    ApplicantsCount {
        max: usize,
    },
    NotAList,
    /// A source's interval, in minutes.
    IntervalRange {
        min: i32,
        max: i32,
    },
    /// The editor form's date and time could not be read.
    FormDateTime,
    /// The editor form's amount is not a whole number.
    FormKroner,
    /// A query parameter's own rule, said in English only.
    Parameter(String),
}

impl Invalid {
    /// Stable: clients and translations key on it.
    pub fn code(&self) -> &'static str {
        match self {
            Invalid::NotAnObject { .. } => "not-an-object",
            Invalid::ReadOnly => "read-only",
            Invalid::UnknownField { .. } => "unknown-field",
            Invalid::Required | Invalid::RequiredChoice { .. } | Invalid::StartRequired => {
                "required"
            }
            Invalid::NotAChoice { .. } | Invalid::NotAState => "not-a-choice",
            Invalid::KindFixed => "kind-fixed",
            Invalid::WithdrawByDelete => "withdraw-by-delete",
            Invalid::NotAString => "not-a-string",
            Invalid::Empty => "empty",
            Invalid::TooLong { .. } => "too-long",
            Invalid::LineBreak { .. } => "line-break",
            Invalid::Control { .. } => "control-character",
            Invalid::Redirect { .. } => "direction-override",
            Invalid::Separator { .. } => "unicode-separator",
            Invalid::NothingVisible => "nothing-visible",
            Invalid::Costly(_) => "too-costly",
            Invalid::UrlTooLong { .. } => "too-long",
            Invalid::NotHttp | Invalid::NotAbsoluteUrl { .. } => "not-a-url",
            Invalid::NotHttps => "not-https",
            Invalid::CredentialsInUrl => "credentials-in-url",
            Invalid::PrivateAddress => "private-address",
            Invalid::NotAnEmail => "not-an-email",
            Invalid::NotAnInstant { .. } | Invalid::FormDateTime => "not-an-instant",
            Invalid::YearsBetween { .. } => "out-of-range",
            Invalid::NotInTheFuture => "not-in-the-future",
            Invalid::AreasRequired | Invalid::AreasCount { .. } => "areas-count",
            Invalid::NotAreaSlug | Invalid::UnknownArea { .. } => "unknown-area",
            Invalid::NotLinkable { .. } => "area-not-linkable",
            Invalid::NotDelegable { .. } => "area-not-delegable",
            Invalid::ListedTwice => "listed-twice",
            Invalid::AdminAreas | Invalid::EditorAreas => "token-areas",
            Invalid::OnlyFor { .. } => "wrong-kind",
            Invalid::NotBool => "not-a-boolean",
            Invalid::EndBeforeStart => "end-before-start",
            Invalid::EndWithoutStart => "end-without-start",
            Invalid::NoteWithoutCancel => "note-without-cancellation",
            Invalid::AmountRange { .. } | Invalid::NotKroner | Invalid::FormKroner => "not-kroner",
            Invalid::Applicant(inner) => inner.code(),
            Invalid::ApplicantsCount { .. } => "too-many",
            Invalid::NotAList => "not-a-list",
            Invalid::IntervalRange { .. } => "out-of-range",
            Invalid::Parameter(_) => "invalid-parameter",
        }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Invalid::NotAnObject { document: true } => f.write_str("the notice must be a JSON object"),
            Invalid::NotAnObject { document: false } => f.write_str("must be an object"),
            Invalid::ReadOnly => f.write_str("is set by the server and cannot be written"),
            Invalid::UnknownField { allowed } => write!(f, "unknown field; allowed: {allowed}"),
            Invalid::Required => f.write_str("is required"),
            Invalid::RequiredChoice { choices } => write!(f, "is required: one of {choices}"),
            Invalid::NotAChoice { choices } => write!(f, "must be one of {choices}"),
            Invalid::KindFixed => f.write_str("cannot change; withdraw this notice and create a new one"),
            Invalid::NotAState => f.write_str("must be draft or published"),
            Invalid::WithdrawByDelete => f.write_str("withdraw with DELETE; state may be draft or published"),
            Invalid::NotAString => f.write_str("must be a string"),
            Invalid::Empty => f.write_str("must not be empty"),
            Invalid::TooLong { max, is } => write!(f, "must be at most {max} characters (is {is})"),
            Invalid::LineBreak { code, at } => write!(
                f,
                "contains a line break or tab, which is not allowed here (U+{code:04X} at character {at})"
            ),
            Invalid::Control { code, at } => write!(
                f,
                "contains a control character, which is not allowed here (U+{code:04X} at character {at})"
            ),
            Invalid::Redirect { code, at } => write!(
                f,
                "contains a character that changes the direction of the text, which is not allowed (U+{code:04X} at character {at})"
            ),
            Invalid::Separator { code, at } => write!(
                f,
                "contains a Unicode line or paragraph separator, which is not allowed (U+{code:04X} at character {at})"
            ),
            Invalid::NothingVisible => f.write_str("has no visible character"),
            Invalid::Costly(costly) => costly.fmt(f),
            Invalid::UrlTooLong { max } => write!(f, "must be at most {max} characters"),
            Invalid::NotHttp => f.write_str("must be an http:// or https:// URL"),
            Invalid::NotHttps => f.write_str("must be an https:// URL"),
            Invalid::CredentialsInUrl => f.write_str("must not hold a user name or password"),
            Invalid::NotAnEmail => f.write_str("must be an e-mail address, like name@kommune.no"),
            Invalid::PrivateAddress => f.write_str(
                "must reach a public address, not a loopback, private or link-local one",
            ),
            Invalid::NotAbsoluteUrl { reason } => write!(f, "is not an absolute URL ({reason})"),
            Invalid::NotAnInstant { raw, date_allowed } => {
                match raw {
                    Some(raw) => write!(
                        f,
                        "{raw:?} is not an RFC 3339 instant with an offset, like 2026-12-01T12:00:00+01:00"
                    )?,
                    None => f.write_str("must be an RFC 3339 instant string")?,
                }
                if *date_allowed {
                    f.write_str(", or a date like 2026-12-01")?;
                }
                Ok(())
            }
            Invalid::YearsBetween { from, to } => write!(f, "must be between the years {from} and {to}"),
            Invalid::NotInTheFuture => f.write_str("must lie in the future"),
            Invalid::AreasRequired => {
                f.write_str("is required: a list of at least one area slug (see /api/v1/areas)")
            }
            Invalid::AreasCount { max } => write!(f, "must list 1 to {max} area slugs"),
            Invalid::NotAreaSlug => f.write_str("must be an area slug"),
            Invalid::UnknownArea { slug } => write!(f, "unknown area {slug:?}; see /api/v1/areas"),
            Invalid::NotLinkable { name } => {
                write!(f, "{name:?} cannot have notices; choose one of its sub-packages")
            }
            Invalid::NotDelegable { name } => write!(f, "{name:?} cannot be delegated to employees"),
            Invalid::ListedTwice => f.write_str("is listed twice"),
            Invalid::AdminAreas => f.write_str("an admin token holds every area; list none"),
            Invalid::EditorAreas => {
                f.write_str("an editor token needs at least one area (see /api/v1/areas)")
            }
            Invalid::OnlyFor { kind } => write!(f, "only {kind} notices have it"),
            Invalid::NotBool => f.write_str("must be true or false"),
            Invalid::StartRequired => f.write_str("is required: when the webinar starts"),
            Invalid::EndBeforeStart => f.write_str("must be after starts_at"),
            Invalid::EndWithoutStart => f.write_str("needs starts_at"),
            Invalid::NoteWithoutCancel => f.write_str("only a cancelled webinar has one"),
            Invalid::AmountRange { max } => write!(f, "must be whole kroner from 0 to {max}"),
            Invalid::NotKroner => f.write_str("must be a number of kroner"),
            Invalid::Applicant(inner) => write!(f, "each applicant group {inner}"),
            Invalid::ApplicantsCount { max } => write!(f, "at most {max} applicant groups"),
            Invalid::NotAList => f.write_str("must be a list, e.g. [\"kommuner\", \"helseforetak\"]"),
            Invalid::IntervalRange { min, max } => {
                write!(f, "must be a whole number of minutes from {min} to {max}")
            }
            Invalid::FormDateTime => f.write_str("must be a date and a time"),
            Invalid::FormKroner => f.write_str("must be a whole number of kroner"),
            Invalid::Parameter(message) => f.write_str(message),
        }
    }
}
