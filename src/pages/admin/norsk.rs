//! The validation's messages in Norwegian, for the editor's form. The rules
//! themselves live once, in the domain; this only says them in the editor's
//! language. A message it does not know is shown as it is.

/// The Norwegian for one message of `domain::validation` or `domain::input`.
pub fn message(english: &str) -> String {
    let exact = [
        ("must be a string", "må være tekst"),
        ("must not be empty", "må fylles ut"),
        ("is required", "må fylles ut"),
        (
            "is required: when the webinar starts",
            "må fylles ut: når webinaret starter",
        ),
        (
            "must be an http:// or https:// URL",
            "må være en adresse som begynner med http:// eller https://",
        ),
        ("must be at most 2000 characters", "kan ha høyst 2000 tegn"),
        ("must be after starts_at", "må være etter starttidspunktet"),
        ("needs starts_at", "krever et starttidspunkt"),
        (
            "only a cancelled webinar has one",
            "brukes bare når webinaret er avlyst",
        ),
        ("is listed twice", "er valgt to ganger"),
        (
            "must be draft or published",
            "må være utkast eller publisert",
        ),
        (
            "cannot change; withdraw this notice and create a new one",
            "kan ikke endres; trekk tilbake og lag en ny kunngjøring",
        ),
        (
            "must be a number of kroner",
            "må være et helt antall kroner",
        ),
    ];
    if let Some((_, norsk)) = exact.iter().find(|(e, _)| *e == english) {
        return (*norsk).to_owned();
    }
    if english.starts_with("is required: a list of at least one area")
        || english.starts_with("must list 1 to")
    {
        return "velg minst ett område".into();
    }
    if let Some(rest) = english.strip_prefix("must be at most ") {
        let max = rest.split(' ').next().unwrap_or_default();
        return format!("kan ha høyst {max} tegn");
    }
    if let Some(rest) = english.strip_prefix("must be between the years ") {
        let years: Vec<&str> = rest.split(" and ").collect();
        if let [from, to] = years[..] {
            return format!("må være mellom år {from} og {to}");
        }
    }
    if english.contains("a line break or tab") {
        return "kan ikke ha linjeskift eller tabulator".into();
    }
    if english.contains("a control character") {
        let at = english
            .rsplit('(')
            .next()
            .unwrap_or_default()
            .trim_end_matches(')');
        return format!("har et kontrolltegn som ikke er tillatt ({at})")
            .replace(" at character ", " i tegn nr. ");
    }
    if let Some(rest) = english.strip_prefix("nests ") {
        let nested = [
            ("block quotes and lists", "sitater og lister"),
            ("emphasis and links", "uthevinger og lenker"),
            ("HTML elements", "HTML-elementer"),
        ];
        if let Some((what, norsk)) = nested.iter().find(|(what, _)| rest.starts_with(what)) {
            let levels = rest[what.len()..]
                .trim_start()
                .strip_prefix("more than ")
                .and_then(|r| r.split(' ').next())
                .unwrap_or_default();
            return format!(
                "har {norsk} inni hverandre i mer enn {levels} nivåer; bruk færre nivåer"
            );
        }
    }
    if let Some(rest) = english.strip_prefix("renders to ") {
        let size = rest.split(" of HTML").next().unwrap_or_default();
        let max = rest
            .split("at most ")
            .nth(1)
            .and_then(|r| r.split(" are allowed").next())
            .unwrap_or_default();
        return format!("blir til {size} HTML; høyst {max} er tillatt, så gjør teksten kortere");
    }
    if english.starts_with("is not an absolute URL") {
        return "er ikke en fullstendig adresse (https://…)".into();
    }
    if english.starts_with("must be whole kroner") {
        return "må være et helt antall kroner, ikke negativt".into();
    }
    if english.starts_with("unknown area") {
        return "er ikke et kjent område".into();
    }
    if english.ends_with("choose one of its sub-packages") {
        return "kan ikke ha kunngjøringer; velg et av underområdene".into();
    }
    if english.starts_with("each applicant group") || english.starts_with("at most 20 applicant") {
        return "skriv søkergrupper skilt med komma, høyst 20, hver på én linje".into();
    }
    english.to_owned()
}

#[cfg(test)]
mod tests {
    use super::message;
    use crate::domain::markdown::TooCostly;

    #[test]
    fn the_common_messages_read_in_norwegian() {
        assert_eq!(message("must not be empty"), "må fylles ut");
        assert_eq!(
            message("must be at most 200 characters (is 201)"),
            "kan ha høyst 200 tegn"
        );
        assert_eq!(
            message("must be between the years 1900 and 9000"),
            "må være mellom år 1900 og 9000"
        );
        assert_eq!(
            message(
                "contains a control character, which is not allowed here (U+0007 at character 4)"
            ),
            "har et kontrolltegn som ikke er tillatt (U+0007 i tegn nr. 4)"
        );
        assert_eq!(
            message(&TooCostly::NestedBlocks.to_string()),
            "har sitater og lister inni hverandre i mer enn 16 nivåer; bruk færre nivåer"
        );
        assert_eq!(
            message(&TooCostly::NestedHtml.to_string()),
            "har HTML-elementer inni hverandre i mer enn 16 nivåer; bruk færre nivåer"
        );
        assert_eq!(
            message(&TooCostly::TooMuchHtml(1_102_500).to_string()),
            "blir til 1103 kB HTML; høyst 250 kB er tillatt, så gjør teksten kortere"
        );
        assert_eq!(message("something new"), "something new");
    }
}
