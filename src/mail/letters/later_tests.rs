//! The digest, reminder and cancellation letters' tests: a digest's count
//! and headings, a reminder's date, a cancellation's note, in both written
//! standards, the notice's text kept exactly and escaped.

use super::tests::*;
use super::*;
use crate::mail::plain::TEXT_WIDTH;

fn webinar_with_note(note: &str) -> Notice {
    let mut notice = webinar(true);
    if let Details::Webinar(details) = &mut notice.details {
        details.cancellation_note = Some(note.into());
    }
    notice
}

/// `count` grants, newest first, each at an address of its own.
fn digest_of(count: usize) -> Vec<(Notice, String)> {
    (1..=count)
        .map(|i| {
            let mut notice = grant(&format!("Tilskudd nummer {i}"), "Kommuner kan søke.");
            notice.slug = format!("tilskudd-{i}");
            let url = format!("https://tavla.example/notices/tilskudd-{i}?fra=e-post&utgave={i}");
            (notice, url)
        })
        .collect()
}

/// The body's prose as one line, whatever the wrapping.
fn prose(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A daily and a weekly digest, reminders of a grant and of a webinar, and
/// a cancellation, in `lang`.
fn digests_reminders_cancellation(lang: Lang) -> Vec<Letter> {
    let notices = digest_of(3);
    vec![
        digest(lang, Frequency::Daily, &notices, &footer()),
        digest(lang, Frequency::Weekly, &notices, &footer()),
        reminder(
            lang,
            &grant("Tilskudd til demensarbeid", "Kommuner kan søke."),
            NOTICE_URL,
            &footer(),
        ),
        reminder(lang, &webinar(false), NOTICE_URL, &footer()),
        cancelled(
            lang,
            &webinar_with_note("Foredragsholderen er syk."),
            NOTICE_URL,
            &footer(),
        ),
    ]
}

#[test]
fn digests_reminders_and_cancellations_come_in_both_written_standards() {
    let nb = digests_reminders_cancellation(Lang::Nb);
    let nn = digests_reminders_cancellation(Lang::Nn);
    for (nb, nn) in nb.iter().zip(&nn) {
        for part in [
            &nb.subject,
            &nb.text,
            &nb.html,
            &nn.subject,
            &nn.text,
            &nn.html,
        ] {
            assert!(!part.trim().is_empty());
        }
        assert_ne!(nb.text, nn.text);
        assert_ne!(nb.html, nn.html);
        assert!(nb.html.contains(r#"<html lang="nb">"#), "{}", nb.html);
        assert!(nn.html.contains(r#"<html lang="nn">"#), "{}", nn.html);
        assert!(nb.html.contains(&format!("<title>{}</title>", nb.subject)));
        assert!(nn.html.contains(&format!("<title>{}</title>", nn.subject)));
    }
    let subjects =
        |letters: &[Letter]| -> Vec<String> { letters.iter().map(|l| l.subject.clone()).collect() };
    assert_eq!(
        subjects(&nb),
        [
            "3 nye kunngjøringer på Tavla",
            "3 nye kunngjøringer på Tavla",
            "Søknadsfristen nærmer seg: Tilskudd til demensarbeid",
            "Webinaret starter snart: Webinar om «Leve hele livet»",
            "Avlyst webinar: Webinar om «Leve hele livet»",
        ]
    );
    assert_eq!(
        subjects(&nn),
        [
            "3 nye kunngjeringar på Tavla",
            "3 nye kunngjeringar på Tavla",
            "Søknadsfristen nærmar seg: Tilskudd til demensarbeid",
            "Webinaret byrjar snart: Webinar om «Leve hele livet»",
            "Avlyst webinar: Webinar om «Leve hele livet»",
        ]
    );
    let [digest, _, grant, webinar, cancelled] = <[_; 5]>::try_from(nn).ok().unwrap();
    assert!(prose(&digest.text).contains(
        "Her er kunngjeringane som har kome til i abonnementet ditt, med den nyaste først."
    ));
    assert!(digest.text.contains("Les heile kunngjeringa på Tavla"));
    assert!(prose(&grant.text).contains("Det er om lag ei veke til."));
    assert!(prose(&webinar.text).contains("Webinaret byrjar 10.06.2027"));
    assert!(prose(&cancelled.text).contains("Webinaret du fekk ei påminning om, er avlyst."));
    assert!(cancelled.text.contains("Melding om avlysinga:"));
}

#[test]
fn digests_reminders_and_cancellations_keep_the_notice_text_exactly() {
    let title = "Webinar om «Demensvennlig samfunn» – æøå ÆØÅ";
    let summary = "Kommuner og fylkeskommuner kan melde seg på – «også i år».";
    let note = "Foredragsholderen er syk – «vi beklager».";
    let webinar = Notice {
        title: title.into(),
        summary: summary.into(),
        ..webinar(false)
    };
    let cancelled_webinar = Notice {
        title: title.into(),
        summary: summary.into(),
        ..webinar_with_note(note)
    };
    let grant = grant(title, summary);
    for lang in Lang::ALL {
        let mut notices = digest_of(2);
        notices.insert(1, (grant.clone(), NOTICE_URL.to_owned()));
        let digest = digest(lang, Frequency::Weekly, &notices, &footer());
        for body in [&digest.text, &digest.html] {
            assert!(body.contains(title), "{body}");
            assert!(body.contains(summary), "{body}");
        }
        for letter in [
            reminder(lang, &grant, NOTICE_URL, &footer()),
            reminder(lang, &webinar, NOTICE_URL, &footer()),
            cancelled(lang, &cancelled_webinar, NOTICE_URL, &footer()),
        ] {
            assert!(letter.subject.ends_with(title), "{}", letter.subject);
            for body in [&letter.text, &letter.html] {
                assert!(body.contains(title), "{body}");
                assert!(body.contains(summary), "{body}");
            }
        }
        let cancelled = cancelled(lang, &cancelled_webinar, NOTICE_URL, &footer());
        assert!(cancelled.text.contains(note), "{}", cancelled.text);
        assert!(cancelled.html.contains(note), "{}", cancelled.html);
    }
}

#[test]
fn digests_reminders_and_cancellations_escape_what_the_notice_says() {
    let title = "<script>alert(1)</script> & co";
    let escaped = "&#60;script&#62;alert(1)&#60;/script&#62; &#38; co";
    let grant = grant(title, "Les <b>dette</b>");
    let webinar = Notice {
        title: title.into(),
        ..webinar_with_note("<i>syk</i> & borte")
    };
    let notices = vec![
        (grant.clone(), NOTICE_URL.to_owned()),
        (webinar.clone(), NOTICE_URL.to_owned()),
    ];
    for letter in [
        digest(Lang::Nb, Frequency::Daily, &notices, &footer()),
        reminder(Lang::Nb, &grant, NOTICE_URL, &footer()),
        cancelled(Lang::Nb, &webinar, NOTICE_URL, &footer()),
    ] {
        for tag in ["<script>", "<b>", "<i>"] {
            assert!(!letter.html.contains(tag), "{}", letter.html);
        }
        assert!(letter.html.contains(escaped), "{}", letter.html);
        assert!(letter.html.contains("fra=e-post&#38;utgave=1"));
        assert!(letter.text.contains(title), "{}", letter.text);
        assert!(!letter.text.contains("&#"), "{}", letter.text);
    }
    let cancelled = cancelled(Lang::Nb, &webinar, NOTICE_URL, &footer());
    assert!(cancelled
        .html
        .contains("&#60;i&#62;syk&#60;/i&#62; &#38; borte"));
    assert!(cancelled.text.contains("<i>syk</i> & borte"));
}

#[test]
fn a_digest_lists_every_notice_with_its_link_on_a_line_of_its_own() {
    let footer = footer();
    let notices = digest_of(40);
    for lang in Lang::ALL {
        let letter = digest(lang, Frequency::Daily, &notices, &footer);
        let lines: Vec<&str> = letter.text.lines().collect();
        let links: Vec<&str> = lines
            .iter()
            .copied()
            .filter(|line| line.contains("https://"))
            .collect();
        let mut expected: Vec<&str> = notices.iter().map(|(_, url)| url.as_str()).collect();
        expected.extend([footer.manage_url.as_str(), footer.unsubscribe_url.as_str()]);
        assert_eq!(links, expected, "{lang:?}: {}", letter.text);
        assert!(
            lines
                .iter()
                .all(|line| line.starts_with("https://") || line.chars().count() <= TEXT_WIDTH),
            "{}",
            letter.text
        );
        // The HTML: one h1, then an h2 per notice in the order given, its
        // title the link to it.
        let headings: Vec<&str> = letter
            .html
            .match_indices("<h")
            .map(|(at, _)| &letter.html[at..at + 3])
            .filter(|tag| *tag != "<he" && *tag != "<ht" && *tag != "<hr")
            .collect();
        assert_eq!(headings.len(), 41, "{}", letter.html);
        assert_eq!(headings[0], "<h1");
        assert!(headings[1..].iter().all(|tag| *tag == "<h2"));
        let mut from = 0;
        for (notice, url) in &notices {
            let link = format!(
                r#"<a href="{}" style="color:#0b4f8a">{}</a></h2>"#,
                url.replace('&', "&#38;"),
                notice.title
            );
            let at = letter.html[from..].find(&link).expect(&link);
            from += at + link.len();
        }
    }
}

#[test]
fn a_digest_subject_counts_its_notices_in_the_singular_or_the_plural() {
    for (count, nb, nn) in [
        (1, "1 ny kunngjøring på Tavla", "1 ny kunngjering på Tavla"),
        (
            2,
            "2 nye kunngjøringer på Tavla",
            "2 nye kunngjeringar på Tavla",
        ),
        (
            21,
            "21 nye kunngjøringer på Tavla",
            "21 nye kunngjeringar på Tavla",
        ),
    ] {
        let notices = digest_of(count);
        let letter = |lang| digest(lang, Frequency::Daily, &notices, &footer());
        assert_eq!(letter(Lang::Nb).subject, nb);
        assert_eq!(letter(Lang::Nn).subject, nn);
    }
    let one = digest_of(1);
    let nb = digest(Lang::Nb, Frequency::Weekly, &one, &footer());
    assert!(
        prose(&nb.text).contains("Her er kunngjøringen som har kommet til i abonnementet ditt.")
    );
    let nn = digest(Lang::Nn, Frequency::Weekly, &one, &footer());
    assert!(prose(&nn.text).contains("Her er kunngjeringa som har kome til i abonnementet ditt."));
}

#[test]
fn a_digest_says_how_often_it_comes() {
    let notices = digest_of(2);
    for (lang, frequency, heading) in [
        (Lang::Nb, Frequency::Daily, "Dagens nytt fra Tavla"),
        (Lang::Nb, Frequency::Weekly, "Ukens nytt fra Tavla"),
        (Lang::Nn, Frequency::Daily, "Dagens nytt frå Tavla"),
        (Lang::Nn, Frequency::Weekly, "Vekas nytt frå Tavla"),
    ] {
        let letter = digest(lang, frequency, &notices, &footer());
        assert_eq!(letter.text.lines().next(), Some(heading), "{}", letter.text);
        assert!(
            letter.html.contains(&format!(">{heading}</h1>")),
            "{}",
            letter.html
        );
    }
}

#[test]
fn a_reminder_gives_the_deadline_or_the_start_in_oslo_time() {
    let grant = grant("Tilskudd til demensarbeid", "Kommuner kan søke.");
    // 11:00 UTC in March is 12:00 in Oslo; 08:00 UTC in June is 10:00.
    for (lang, notice, when) in [
        (
            Lang::Nb,
            &grant,
            "Søknadsfristen er 01.03.2027 kl. 12:00. Det er omtrent en uke til.",
        ),
        (
            Lang::Nn,
            &grant,
            "Søknadsfristen er 01.03.2027 kl. 12:00. Det er om lag ei veke til.",
        ),
        (
            Lang::Nb,
            &webinar(false),
            "Webinaret starter 10.06.2027 kl. 10:00.",
        ),
        (
            Lang::Nn,
            &webinar(false),
            "Webinaret byrjar 10.06.2027 kl. 10:00.",
        ),
    ] {
        let letter = reminder(lang, notice, NOTICE_URL, &footer());
        assert!(prose(&letter.text).contains(when), "{}", letter.text);
        assert!(
            letter.html.contains(&format!(">{when}</p>")),
            "{}",
            letter.html
        );
        assert!(
            letter.text.lines().any(|line| line == NOTICE_URL),
            "{}",
            letter.text
        );
        assert!(!letter.text.contains("Status:"), "{}", letter.text);
    }
    // Without a date there is none to give.
    let rolling = Notice {
        details: Details::Grant(GrantDetails::default()),
        ..grant.clone()
    };
    let letter = reminder(Lang::Nb, &rolling, NOTICE_URL, &footer());
    assert_eq!(letter.subject, "Påminnelse: Tilskudd til demensarbeid");
    assert!(
        !letter.text.contains("Søknadsfristen er"),
        "{}",
        letter.text
    );
    // A webinar cancelled meanwhile does not start soon.
    let webinar = webinar_with_note("Syk.");
    assert_eq!(
        reminder(Lang::Nn, &webinar, NOTICE_URL, &footer()),
        cancelled(Lang::Nn, &webinar, NOTICE_URL, &footer())
    );
}

#[test]
fn a_cancellation_says_cancelled_and_gives_its_note() {
    let note = "Foredragsholderen er syk.";
    for (lang, said, label) in [
        (
            Lang::Nb,
            "Webinaret du fikk en påminnelse om, er avlyst.",
            "Melding om avlysningen:",
        ),
        (
            Lang::Nn,
            "Webinaret du fekk ei påminning om, er avlyst.",
            "Melding om avlysinga:",
        ),
    ] {
        let letter = cancelled(lang, &webinar_with_note(note), NOTICE_URL, &footer());
        assert_eq!(
            letter.subject,
            "Avlyst webinar: Webinar om «Leve hele livet»"
        );
        let lines: Vec<&str> = letter.text.lines().collect();
        assert!(lines.contains(&said), "{}", letter.text);
        let at = lines.iter().position(|line| *line == label).unwrap();
        assert_eq!(lines[at + 1], note, "{}", letter.text);
        // Said once, not again among the facts.
        assert_eq!(letter.text.matches(note).count(), 1, "{}", letter.text);
        assert!(letter
            .text
            .contains("Tidspunkt: 10.06.2027 kl. 10:00–11:30"));
        assert!(
            letter.html.contains(&format!(">{said}</p>")),
            "{}",
            letter.html
        );
        // The note in the notice's own language, as the summary is.
        let at = letter.html.find(&format!(">{note}</p>")).unwrap();
        let paragraph = letter.html[..at].rsplit("<p").next().unwrap();
        assert!(paragraph.starts_with(r#" lang="nb""#), "{}", letter.html);
        assert!(letter.text.lines().any(|line| line == NOTICE_URL));
        assert!(letter
            .text
            .lines()
            .any(|line| line == footer().unsubscribe_url));
    }
    let without = cancelled(Lang::Nb, &webinar(true), NOTICE_URL, &footer());
    assert!(without
        .text
        .contains("Webinaret du fikk en påminnelse om, er avlyst."));
    assert!(!without.text.contains("Melding om"), "{}", without.text);
    assert!(
        !without.text.lines().any(|line| line == "Avlyst"),
        "{}",
        without.text
    );
}
