//! The letters' tests: both written standards, the notice's text kept
//! exactly, escaping, links and line lengths. The fixtures here serve the
//! digest, reminder and cancellation tests too (`later_tests.rs`).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::*;
use crate::domain::{GrantDetails, Language, State, WebinarDetails};
use crate::mail::plain::TEXT_WIDTH;

pub(super) const NOTICE_URL: &str = "https://tavla.example/notices/demens-2027?fra=e-post&utgave=1";
const CONFIRM_URL: &str = "https://tavla.example/abonnement/bekreft?token=a1b2&sprak=nb";

pub(super) fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

pub(super) fn grant(title: &str, summary: &str) -> Notice {
    Notice {
        id: Uuid::new_v4(),
        slug: "demens-2027".into(),
        state: State::Published,
        title: title.into(),
        summary: summary.into(),
        body: None,
        source_url: None,
        language: Language::Nb,
        published_at: at("2026-11-02T08:00:00Z"),
        revision: 1,
        areas: vec!["helsetjenester".into()],
        details: Details::Grant(GrantDetails {
            deadline: Some(at("2027-03-01T11:00:00Z")),
            amount_nok: Some(1_500_000),
            applicants: vec!["kommuner".into()],
            apply_url: None,
        }),
        created_at: at("2026-11-02T08:00:00Z"),
        updated_at: at("2026-11-02T08:00:00Z"),
    }
}

pub(super) fn webinar(cancelled: bool) -> Notice {
    Notice {
        details: Details::Webinar(WebinarDetails {
            starts_at: Some(at("2027-06-10T08:00:00Z")),
            ends_at: Some(at("2027-06-10T09:30:00Z")),
            registration_url: None,
            cancelled,
            cancellation_note: None,
        }),
        ..grant("Webinar om «Leve hele livet»", "Om eldreomsorg.")
    }
}

pub(super) fn footer() -> Footer {
    Footer {
        manage_url: "https://tavla.example/abonnement?token=m3&sprak=nb".into(),
        unsubscribe_url: "https://tavla.example/abonnement/avslutt?token=u4".into(),
    }
}

pub(super) fn letters() -> Vec<(Lang, Letter)> {
    let notice = grant("Tilskudd til demensarbeid", "Kommuner kan søke.");
    Lang::ALL
        .into_iter()
        .flat_map(|lang| {
            [
                (lang, confirmation(lang, CONFIRM_URL)),
                (lang, super::notice(lang, &notice, NOTICE_URL, &footer())),
            ]
        })
        .collect()
}

#[test]
fn each_written_standard_has_its_own_words() {
    let [(_, nb_confirm), (_, nb_notice), (_, nn_confirm), (_, nn_notice)] =
        <[_; 4]>::try_from(letters()).ok().unwrap();
    for (nb, nn) in [(&nb_confirm, &nn_confirm), (&nb_notice, &nn_notice)] {
        for part in [&nb.subject, &nb.text, &nb.html, &nn.text, &nn.html] {
            assert!(!part.trim().is_empty());
        }
        assert_ne!(nb.text, nn.text);
        assert_ne!(nb.html, nn.html);
        assert!(nb.html.contains(r#"<html lang="nb">"#), "{}", nb.html);
        assert!(nn.html.contains(r#"<html lang="nn">"#), "{}", nn.html);
    }
    assert_eq!(nb_confirm.subject, "Bekreft abonnementet ditt på Tavla");
    assert_eq!(nn_confirm.subject, "Stadfest abonnementet ditt på Tavla");
    assert_eq!(nb_notice.subject, "Tilskudd: Tilskudd til demensarbeid");
    assert_eq!(nn_notice.subject, "Tilskot: Tilskudd til demensarbeid");
    assert!(nb_notice.text.contains("Les hele kunngjøringen på Tavla"));
    assert!(nn_notice.text.contains("Les heile kunngjeringa på Tavla"));
    assert!(nn_notice.text.contains("Sei opp abonnementet"));
    assert!(nn_notice
        .text
        .contains("Søknadsfrist: 01.03.2027 kl. 12:00"));
}

#[test]
fn the_notice_text_is_kept_exactly() {
    let title = "Tilskudd til «Demensvennlig samfunn» – æøå ÆØÅ";
    // Shorter than a line of text, so wrapping leaves it as it is.
    let summary = "Kommuner og fylkeskommuner kan søke om midler – «også i år».";
    let notice = grant(title, summary);
    for lang in Lang::ALL {
        let letter = super::notice(lang, &notice, NOTICE_URL, &footer());
        assert!(letter.subject.ends_with(title), "{}", letter.subject);
        for body in [&letter.text, &letter.html] {
            assert!(body.contains(title), "{body}");
            assert!(body.contains(summary), "{body}");
        }
    }
}

#[test]
fn the_html_escapes_what_the_notice_says() {
    let notice = grant(
        "<script>alert(1)</script> & co",
        "Les <b>dette</b> & \"mer\"",
    );
    let letter = super::notice(Lang::Nb, &notice, NOTICE_URL, &footer());
    assert!(!letter.html.contains("<script>"), "{}", letter.html);
    assert!(!letter.html.contains("<b>"), "{}", letter.html);
    assert!(letter
        .html
        .contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; co"));
    // The addresses' `&` as HTML writes it in an attribute.
    assert!(
        letter.html.contains("fra=e-post&#38;utgave=1"),
        "{}",
        letter.html
    );
    // Plain text is plain: no entities.
    assert!(letter.text.contains("<script>alert(1)</script> & co"));
    assert!(letter.text.contains("Les <b>dette</b> & \"mer\""));
    assert!(!letter.text.contains("&#"));
    assert!(letter.subject.contains("<script>alert(1)</script> & co"));
}

#[test]
fn the_text_has_each_absolute_link_on_a_line_of_its_own() {
    let footer = footer();
    for (lang, letter) in letters() {
        let lines: Vec<&str> = letter.text.lines().collect();
        let links: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|line| line.contains("https://"))
            .collect();
        let expected = match letter.subject.contains("abonnementet") {
            true => vec![CONFIRM_URL],
            false => vec![
                NOTICE_URL,
                footer.manage_url.as_str(),
                footer.unsubscribe_url.as_str(),
            ],
        };
        assert_eq!(links, expected, "{lang:?}: {}", letter.text);
        assert!(!letter.text.contains("&amp;") && !letter.text.contains("&#"));
        assert!(
            lines
                .iter()
                .all(|line| line.starts_with("https://") || line.chars().count() <= TEXT_WIDTH),
            "{}",
            letter.text
        );
    }
}

#[test]
fn the_confirmation_gives_its_link_and_says_what_ignoring_it_does() {
    let nb = confirmation(Lang::Nb, CONFIRM_URL);
    assert!(
        nb.text.lines().any(|line| line == CONFIRM_URL),
        "{}",
        nb.text
    );
    let href = CONFIRM_URL.replace('&', "&#38;");
    assert!(
        nb.html.contains(&format!(r#"<a href="{href}""#)),
        "{}",
        nb.html
    );
    assert!(nb.html.contains(">Bekreft abonnementet på Tavla</a>"));
    assert!(nb.text.contains("48 timer"), "{}", nb.text);
    let nn = confirmation(Lang::Nn, CONFIRM_URL);
    assert!(nn.text.contains("48 timar"), "{}", nn.text);
    assert!(nn.html.contains(">Stadfest abonnementet på Tavla</a>"));
    // A confirmation goes to someone who has not subscribed yet.
    assert!(!nb.text.contains("Si opp") && !nb.html.contains("Si opp"));
}

#[test]
fn a_notice_says_its_facts_in_oslo_time_and_no_status() {
    let letter = super::notice(Lang::Nb, &webinar(false), NOTICE_URL, &footer());
    // 08:00 UTC in June is 10:00 in Oslo.
    assert!(letter
        .text
        .contains("Tidspunkt: 10.06.2027 kl. 10:00–11:30"));
    assert!(letter
        .html
        .contains("<li>Tidspunkt: 10.06.2027 kl. 10:00–11:30</li>"));
    assert!(!letter.text.contains("Status:"), "{}", letter.text);
    let grant = super::notice(Lang::Nb, &grant("x", "y"), NOTICE_URL, &footer());
    assert!(grant.text.contains("Søknadsfrist: 01.03.2027 kl. 12:00"));
    assert!(grant.text.contains("Beløp: 1\u{a0}500\u{a0}000 kr"));
    assert!(!grant.text.contains("Status:"), "{}", grant.text);
}

#[test]
fn a_cancelled_webinar_says_so_first() {
    for lang in Lang::ALL {
        let letter = super::notice(lang, &webinar(true), NOTICE_URL, &footer());
        assert_eq!(
            letter.subject,
            "Avlyst webinar: Webinar om «Leve hele livet»"
        );
        assert!(
            letter.text.lines().any(|line| line == "Avlyst"),
            "{}",
            letter.text
        );
        assert!(letter.html.contains("<li>Avlyst</li>"));
    }
}

#[test]
fn a_subject_is_one_line() {
    let notice = grant("Tilskudd\r\ntil  demensarbeid", "y");
    let letter = super::notice(Lang::Nb, &notice, NOTICE_URL, &footer());
    assert_eq!(letter.subject, "Tilskudd: Tilskudd til demensarbeid");
}
