//! The validation's messages in Norwegian, for the editor's form. The rules
//! themselves live once, in the domain, each a variant of `Invalid`; this
//! only says them in the editor's language, and a new rule does not compile
//! until it is said here.

use crate::domain::markdown::{TooCostly, HTML_MAX, NESTING_MAX};
use crate::domain::Invalid;

/// The Norwegian for a broken rule.
pub fn message(invalid: &Invalid) -> String {
    match invalid {
        Invalid::NotAnObject { .. } => "har feil form".into(),
        Invalid::ReadOnly => "settes av Tavla og kan ikke skrives".into(),
        Invalid::UnknownField { .. } => "er ikke et felt i skjemaet".into(),
        Invalid::Required | Invalid::RequiredChoice { .. } => "må fylles ut".into(),
        Invalid::NotAChoice { .. } => "må være et av valgene".into(),
        Invalid::KindFixed => "kan ikke endres; trekk tilbake og lag en ny kunngjøring".into(),
        Invalid::NotAState => "må være utkast eller publisert".into(),
        Invalid::WithdrawByDelete => "trekk tilbake med knappen «Trekk tilbake»".into(),
        Invalid::NotAString => "må være tekst".into(),
        Invalid::Empty => "må fylles ut".into(),
        Invalid::TooLong { max, .. } | Invalid::UrlTooLong { max } => {
            format!("kan ha høyst {max} tegn")
        }
        Invalid::LineBreak { .. } => "kan ikke ha linjeskift eller tabulator".into(),
        Invalid::Control { code, at } => {
            format!("har et kontrolltegn som ikke er tillatt (U+{code:04X} i tegn nr. {at})")
        }
        Invalid::Redirect { code, at } => format!(
            "har et tegn som snur skriveretningen, og det er ikke tillatt (U+{code:04X} i tegn nr. {at})"
        ),
        Invalid::Separator { code, at } => format!(
            "har et linje- eller avsnittsskilletegn som ikke er tillatt (U+{code:04X} i tegn nr. {at}); bruk vanlig linjeskift"
        ),
        Invalid::NothingVisible => "må ha synlig tekst".into(),
        Invalid::Costly(TooCostly::TooMuchHtml(bytes)) => format!(
            "blir til {} kB HTML; høyst {} kB er tillatt, så gjør teksten kortere",
            bytes.div_ceil(1000),
            HTML_MAX / 1000
        ),
        Invalid::Costly(costly) => {
            let what = match costly {
                TooCostly::NestedBlocks => "sitater og lister",
                TooCostly::NestedInline => "uthevinger og lenker",
                _ => "HTML-elementer",
            };
            format!("har {what} inni hverandre i mer enn {NESTING_MAX} nivåer; bruk færre nivåer")
        }
        Invalid::NotHttp => "må være en adresse som begynner med http:// eller https://".into(),
        Invalid::NotAbsoluteUrl { .. } => "er ikke en fullstendig adresse (https://…)".into(),
        Invalid::NotAnInstant { .. } | Invalid::FormDateTime => "velg dato og klokkeslett".into(),
        Invalid::YearsBetween { from, to } => format!("må være mellom år {from} og {to}"),
        Invalid::NotInTheFuture => "må være fram i tid".into(),
        Invalid::AreasRequired | Invalid::AreasCount { .. } => "velg minst ett område".into(),
        Invalid::NotAreaSlug | Invalid::UnknownArea { .. } => "er ikke et kjent område".into(),
        Invalid::NotLinkable { .. } => {
            "kan ikke ha kunngjøringer; velg et av underområdene".into()
        }
        Invalid::NotDelegable { .. } => "kan ikke delegeres til ansatte".into(),
        Invalid::ListedTwice => "er valgt to ganger".into(),
        Invalid::AdminAreas => "en administrator har alle områder; velg ingen".into(),
        Invalid::EditorAreas => "en redaktør trenger minst ett område".into(),
        Invalid::OnlyFor { kind } => format!(
            "hører bare til kunngjøringer av typen {}",
            kind.parse::<crate::domain::Kind>()
                .map_or(kind.as_str(), |k| k.label())
                .to_lowercase()
        ),
        Invalid::NotBool => "må være ja eller nei".into(),
        Invalid::StartRequired => "må fylles ut: når webinaret starter".into(),
        Invalid::EndBeforeStart => "må være etter starttidspunktet".into(),
        Invalid::EndWithoutStart => "krever et starttidspunkt".into(),
        Invalid::NoteWithoutCancel => "brukes bare når webinaret er avlyst".into(),
        Invalid::AmountRange { .. } => "må være et helt antall kroner, ikke negativt".into(),
        Invalid::NotKroner | Invalid::FormKroner => "skriv et helt antall kroner".into(),
        Invalid::Applicant(_) | Invalid::ApplicantsCount { .. } | Invalid::NotAList => {
            "skriv søkergrupper skilt med komma, høyst 20, hver på én linje".into()
        }
        Invalid::Parameter(_) => "har en ugyldig verdi".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::message;
    use crate::domain::markdown::TooCostly;
    use crate::domain::Invalid;

    #[test]
    fn the_common_messages_read_in_norwegian() {
        assert_eq!(message(&Invalid::Empty), "må fylles ut");
        assert_eq!(
            message(&Invalid::TooLong { max: 200, is: 201 }),
            "kan ha høyst 200 tegn"
        );
        assert_eq!(
            message(&crate::domain::time::out_of_range()),
            "må være mellom år 1900 og 9000"
        );
        assert_eq!(
            message(&Invalid::Control { code: 7, at: 4 }),
            "har et kontrolltegn som ikke er tillatt (U+0007 i tegn nr. 4)"
        );
        assert_eq!(
            message(&Invalid::Costly(TooCostly::NestedBlocks)),
            "har sitater og lister inni hverandre i mer enn 16 nivåer; bruk færre nivåer"
        );
        assert_eq!(
            message(&Invalid::Costly(TooCostly::NestedHtml)),
            "har HTML-elementer inni hverandre i mer enn 16 nivåer; bruk færre nivåer"
        );
        assert_eq!(
            message(&Invalid::Costly(TooCostly::TooMuchHtml(1_102_500))),
            "blir til 1103 kB HTML; høyst 250 kB er tillatt, så gjør teksten kortere"
        );
        assert_eq!(
            message(&Invalid::OnlyFor {
                kind: "grant".into()
            }),
            "hører bare til kunngjøringer av typen tilskudd"
        );
    }
}
