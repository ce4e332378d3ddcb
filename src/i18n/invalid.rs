//! The validation's messages in the reader's or editor's written standard.
//! The rules themselves live once, in the domain, each a variant of
//! `Invalid`; this only says them, and a new rule does not compile until it
//! is said here.

use super::Lang;
use crate::domain::markdown::{TooCostly, HTML_MAX, NESTING_MAX};
use crate::domain::{Invalid, Kind};

impl Lang {
    /// What is wrong, said of the field named before it: «må fylles ut».
    pub fn invalid(self, invalid: &Invalid) -> String {
        let t = |key: &str| self.t(key);
        let at = |key: &str, code: u32, at: usize| {
            self.t_with(
                key,
                &[("code", format!("U+{code:04X}")), ("at", at.to_string())],
            )
        };
        let nested = |key: &str| self.t_with(key, &[("max", NESTING_MAX.to_string())]);
        match invalid {
            Invalid::NotAnObject { .. } => t("invalid-shape"),
            Invalid::ReadOnly => t("invalid-read-only"),
            Invalid::UnknownField { .. } => t("invalid-unknown-field"),
            Invalid::Required | Invalid::RequiredChoice { .. } | Invalid::Empty => {
                t("invalid-required")
            }
            Invalid::NotAChoice { .. } => t("invalid-not-a-choice"),
            Invalid::KindFixed => t("invalid-kind-fixed"),
            Invalid::NotAState => t("invalid-not-a-state"),
            Invalid::WithdrawByDelete => t("invalid-withdraw-by-delete"),
            Invalid::NotAString => t("invalid-not-text"),
            Invalid::TooLong { max, .. } | Invalid::UrlTooLong { max } => {
                self.t_with("invalid-too-long", &[("max", max.to_string())])
            }
            Invalid::LineBreak { .. } => t("invalid-line-break"),
            Invalid::Control { code, at: i } => at("invalid-control", *code, *i),
            Invalid::Redirect { code, at: i } => at("invalid-bidi", *code, *i),
            Invalid::Separator { code, at: i } => at("invalid-separator", *code, *i),
            Invalid::NothingVisible => t("invalid-nothing-visible"),
            Invalid::Costly(TooCostly::TooMuchHtml(bytes)) => self.t_with(
                "invalid-too-much-html",
                &[
                    ("size", bytes.div_ceil(1000).to_string()),
                    ("max", (HTML_MAX / 1000).to_string()),
                ],
            ),
            Invalid::Costly(TooCostly::NestedBlocks) => nested("invalid-nested-blocks"),
            Invalid::Costly(TooCostly::NestedInline) => nested("invalid-nested-inline"),
            Invalid::Costly(_) => nested("invalid-nested-html"),
            Invalid::NotHttp => t("invalid-not-http"),
            Invalid::NotHttps => t("invalid-not-https"),
            Invalid::CredentialsInUrl => t("invalid-credentials-in-url"),
            Invalid::PrivateAddress => t("invalid-private-address"),
            Invalid::NotAnEmail => t("invalid-not-an-email"),
            Invalid::NotAbsoluteUrl { .. } => t("invalid-not-absolute-url"),
            Invalid::NotAnInstant { .. } | Invalid::FormDateTime => t("invalid-not-an-instant"),
            Invalid::YearsBetween { from, to } => self.t_with(
                "invalid-years-between",
                &[("from", from.to_string()), ("to", to.to_string())],
            ),
            Invalid::NotInTheFuture => t("invalid-not-in-the-future"),
            Invalid::AreasRequired | Invalid::AreasCount { .. } => t("invalid-areas-required"),
            Invalid::NotAreaSlug | Invalid::UnknownArea { .. } => t("invalid-unknown-area"),
            Invalid::NotLinkable { .. } => t("invalid-not-linkable"),
            Invalid::NotDelegable { .. } => t("invalid-not-delegable"),
            Invalid::ListedTwice => t("invalid-listed-twice"),
            Invalid::AdminAreas => t("invalid-admin-areas"),
            Invalid::EditorAreas => t("invalid-editor-areas"),
            Invalid::OnlyFor { kind } => {
                let kind = kind
                    .parse::<Kind>()
                    .map_or_else(|_| kind.clone(), |k| self.kind(k))
                    .to_lowercase();
                self.t_with("invalid-only-for", &[("kind", kind)])
            }
            Invalid::NotBool => t("invalid-not-bool"),
            Invalid::StartRequired => t("invalid-start-required"),
            Invalid::EndBeforeStart => t("invalid-end-before-start"),
            Invalid::EndWithoutStart => t("invalid-end-without-start"),
            Invalid::NoteWithoutCancel => t("invalid-note-without-cancel"),
            Invalid::AmountRange { .. } => t("invalid-amount-range"),
            Invalid::NotKroner | Invalid::FormKroner => t("invalid-not-kroner"),
            Invalid::Applicant(_) | Invalid::ApplicantsCount { .. } | Invalid::NotAList => {
                t("invalid-applicants")
            }
            Invalid::IntervalRange { min, max } => self.t_with(
                "invalid-interval-range",
                &[("min", min.to_string()), ("max", max.to_string())],
            ),
            Invalid::Parameter(_) => t("invalid-parameter"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_messages_read_in_each_written_standard() {
        let nb = Lang::Nb;
        assert_eq!(nb.invalid(&Invalid::Empty), "må fylles ut");
        assert_eq!(Lang::Nn.invalid(&Invalid::Empty), "må fyllast ut");
        assert_eq!(
            nb.invalid(&Invalid::TooLong { max: 200, is: 201 }),
            "kan ha høyst 200 tegn"
        );
        assert_eq!(
            nb.invalid(&crate::domain::time::out_of_range()),
            "må være mellom år 1900 og 9000"
        );
        assert_eq!(
            nb.invalid(&Invalid::Control { code: 7, at: 4 }),
            "har et kontrolltegn som ikke er tillatt (U+0007 i tegn nr. 4)"
        );
        assert_eq!(
            nb.invalid(&Invalid::Costly(TooCostly::NestedBlocks)),
            "har sitater og lister inni hverandre i mer enn 16 nivåer; bruk færre nivåer"
        );
        assert_eq!(
            nb.invalid(&Invalid::Costly(TooCostly::NestedHtml)),
            "har HTML-elementer inni hverandre i mer enn 16 nivåer; bruk færre nivåer"
        );
        assert_eq!(
            nb.invalid(&Invalid::Costly(TooCostly::TooMuchHtml(1_102_500))),
            "blir til 1103 kB HTML; høyst 250 kB er tillatt, så gjør teksten kortere"
        );
        assert_eq!(
            nb.invalid(&Invalid::OnlyFor {
                kind: "grant".into()
            }),
            "hører bare til kunngjøringer av typen tilskudd"
        );
        assert_eq!(
            Lang::Nn.invalid(&Invalid::OnlyFor {
                kind: "grant".into()
            }),
            "høyrer berre til kunngjeringar av typen tilskot"
        );
    }
}
