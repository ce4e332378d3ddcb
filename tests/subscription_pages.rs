//! The e-mail subscription pages over HTTP: the subscribe form on the front
//! and area pages (keeping their filters, in both written standards, and
//! only on a server that sends e-mail), what posting it answers — one
//! confirmation e-mail, the form again with what was wrong, a limit — and
//! the manage page that shows a subscription's choices and saves changes.
//! What touches storage runs on SQLite and PostgreSQL, with an SMTP sink.

mod common;

use chrono::NaiveDateTime;
use common::smtp::{Mail, SmtpSink};
use common::{TestApp, TestDb};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;
use tavla::domain::subscription::{next_digest, Frequency, MailLanguage, SubscriptionState};
use tavla::domain::Kind;
use tavla::store::schema::{deliveries::dsl as d, subscriptions::dsl as s};
use tavla::store::subscriptions::{self as stored, Purpose};
use uuid::Uuid;

/// Runs each test on SQLite and PostgreSQL, with an SMTP sink and an app
/// that sends to it.
macro_rules! with_mail {
    ($( async fn $name:ident($app:ident, $sink:ident) $body:block )*) => {
        mod sqlite {
            use super::*;
            $( #[tokio::test]
            async fn $name() {
                let $sink = SmtpSink::start().await;
                let $app = TestApp::spawn_with_mail(TestDb::Sqlite, $sink.url(), 30).await;
                $body
            } )*
        }
        mod postgres {
            use super::*;
            $( #[tokio::test]
            async fn $name() {
                let $sink = SmtpSink::start().await;
                let $app = TestApp::spawn_with_mail(TestDb::Postgres, $sink.url(), 30).await;
                $body
            } )*
        }
    };
}

/// A manage link's token, as the e-mails carry (43 characters).
const MANAGE: &str = "et-langt-tilfeldig-token-til-aa-endre-abonnementet";

fn seven() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap()
}

/// The subscription form of a page.
fn form_of(page: &str) -> &str {
    let start = page
        .find("<form class=\"subscription\"")
        .unwrap_or_else(|| panic!("no subscription form in {page}"));
    let end = start + page[start..].find("</form>").unwrap();
    &page[start..end]
}

/// The opening tag of the element the text `needle` is in.
fn tag<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// Whether the form's input `name` of `value` is there and checked.
fn checked(form: &str, name: &str, value: &str) -> bool {
    tag(form, &format!("name=\"{name}\" value=\"{value}\"")).contains(" checked")
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let request = app.client.post(app.url(path)).form(fields);
    request.send().await.unwrap()
}

/// The link in a mail's text that starts with `prefix` (after the base).
fn link(app: &TestApp, mail: &Mail, prefix: &str) -> String {
    let text = mail.text().expect("a text part");
    let start = format!("{}{prefix}", app.base);
    let found = text.split_whitespace().find(|w| w.starts_with(&start));
    found
        .unwrap_or_else(|| panic!("no {start} link in {text}"))
        .to_owned()
}

fn token_of(url: &str) -> String {
    url.split_once("token=").expect("a token").1.to_owned()
}

/// What the bokmål front page's form sends for Kari: a grant in
/// «Helsetjenester» (the area page's filter), a daily digest, reminders.
const KARI: [(&str, &str); 7] = [
    ("language", "nn"),
    ("offered", "helsetjenester"),
    ("email", "kari@example.org"),
    ("kind", "grant"),
    ("area", "helsetjenester"),
    ("frequency", "daily"),
    ("reminders", "true"),
];

/// Subscribes by the nynorsk form, confirms by the e-mail's link, and
/// returns the subscription's id.
async fn confirmed(app: &TestApp, sink: &SmtpSink) -> Uuid {
    let before = sink.messages().len();
    assert_eq!(post(app, "/nn/subscriptions", &KARI).await.status(), 200);
    let mail = sink.wait_for(before + 1, 10).await.pop().unwrap();
    let token = token_of(&link(app, &mail, "/nn/subscriptions/confirm?token="));
    let (store, sent) = (app.store(), token.clone());
    let id = store
        .run(move |c| stored::by_token(c, &sent, Purpose::Confirm))
        .await;
    let id = id.unwrap().expect("the confirmation link's subscription");
    let answer = post(app, "/nn/subscriptions/confirm", &[("token", &token)]).await;
    assert_eq!(answer.status(), 200);
    id
}

async fn recipient(app: &TestApp, id: Uuid) -> tavla::store::mail::Recipient {
    let store = app.store();
    let found = store
        .run(move |c| tavla::store::mail::recipient(c, id))
        .await;
    found.unwrap().expect("the subscription")
}

/// When the subscription's next digest goes out, and what it lists from.
async fn digest(app: &TestApp, id: Uuid) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
    let columns = (s::digest_due_at, s::digest_since);
    let query = s::subscriptions.find(id.to_string()).select(columns);
    app.store().run(move |c| Ok(query.first(c)?)).await.unwrap()
}

/// How many confirmation e-mails are owed or sent: each is a delivery.
async fn confirmations(app: &TestApp) -> i64 {
    let query = d::deliveries.filter(d::channel.eq("mail-confirm")).count();
    app.store()
        .run(move |c| Ok(query.get_result(c)?))
        .await
        .unwrap()
}

async fn stats(app: &TestApp, admin: &str) -> Value {
    let path = "/api/v1/admin/subscriptions/stats";
    let answer = app.send(Method::GET, path, admin, None, &[]).await;
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

#[tokio::test]
async fn without_an_smtp_relay_no_page_has_the_form_and_subscribing_is_a_404() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let pages = [
        "/",
        "/nn/",
        "/areas/helsetjenester",
        "/nn/areas/helsetjenester",
        "/?kind=grant",
    ];
    for path in pages {
        let page = app.text(path).await;
        for trace in [
            "class=\"subscription\"",
            "#e-post",
            "type=\"email\"",
            "/subscriptions",
        ] {
            assert!(!page.contains(trace), "{trace} on {path}");
        }
        assert!(!page.contains("<script"), "{path} is as it was");
    }
    let says = [
        ("/subscriptions", "sender ikke e-post"),
        ("/nn/subscriptions", "sender ikkje e-post"),
    ];
    for (path, says) in says {
        let shown = app.get(path).await;
        assert_eq!(shown.status(), 404);
        assert!(shown.text().await.unwrap().contains(says));
        let posted = post(&app, path, &KARI).await;
        assert_eq!(posted.status(), 404);
        assert!(posted.text().await.unwrap().contains(says));
    }
}

#[tokio::test]
async fn too_many_subscribe_requests_are_a_429_page_with_retry_after() {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with_mail(TestDb::Sqlite, sink.url(), 1).await;
    assert_eq!(post(&app, "/subscriptions", &KARI).await.status(), 200);
    for (path, lang) in [("/subscriptions", "nb"), ("/nn/subscriptions", "nn")] {
        let refused = post(&app, path, &KARI).await;
        assert_eq!(refused.status(), 429);
        let wait = refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!((1..=60).contains(&wait.parse::<u64>().unwrap()), "{wait}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("<h1>For mange forsøk</h1>"), "{page}");
        assert!(
            page.contains(&format!("Vent {wait} sekund"))
                && page.contains(&format!("lang=\"{lang}\""))
        );
        assert!(!page.contains("kari@"), "no address told back");
    }
}

with_mail! {
    async fn the_form_is_on_the_front_and_area_pages_keeping_their_filters(app, _sink) {
        for (prefix, lang, heading, all_areas) in [("", "nb", "Få kunngjøringer på e-post", "fra alle områder"), ("/nn", "nn", "Få kunngjeringar på e-post", "frå alle område")] {
            let front = app.text(&format!("{prefix}/")).await;
            assert!(front.contains(heading), "{front}");
            assert!(front.contains("<a href=\"#e-post\">E-post</a>"), "a link from the feeds' line");
            let form = form_of(&front);
            assert!(form.contains(&format!("action=\"{prefix}/subscriptions\"")));
            let email = tag(form, "id=\"sub-email\"");
            for attribute in ["type=\"email\"", "autocomplete=\"email\"", " required", "name=\"email\""] {
                assert!(email.contains(attribute), "{attribute} in {email}");
            }
            let language = tag(form, "name=\"language\"");
            assert!(language.contains(&format!("value=\"{lang}\"")) && language.contains("type=\"hidden\""));
            for kind in ["grant", "webinar", "news"] {
                assert!(!checked(form, "kind", kind), "no kind chosen is every kind");
            }
            assert!(!form.contains("name=\"area\""), "no areas to choose on /");
            assert!(form.contains(all_areas), "every area, said: {form}");
            assert!(checked(form, "frequency", "immediate") && !checked(form, "frequency", "daily"));
            assert!(form.contains("kl. 07.00"), "a digest's time is said");
            assert!(!checked(form, "reminders", "true"));
            assert!(tag(form, "id=\"sub-reminders\"").contains("aria-describedby=\"sub-reminders-hint\""));

            let area = app.text(&format!("{prefix}/areas/helsetjenester")).await;
            let form = form_of(&area);
            assert!(checked(form, "area", "helsetjenester"), "the area page's area is chosen");
            assert_eq!(form.matches("name=\"area\"").count(), 1, "and only it offered");
            assert!(!form.contains(all_areas));

            let grants = app.text(&format!("{prefix}/?kind=grant")).await;
            let form = form_of(&grants);
            assert!(checked(form, "kind", "grant"), "the list's kind is chosen");
            assert!(!checked(form, "kind", "webinar") && !checked(form, "kind", "news"));
            assert!(!form.contains("name=\"area\""));

            let both = app.text(&format!("{prefix}/?kind=webinar&area=kommuneoverlege&utm_source=x")).await;
            let form = form_of(&both);
            assert!(checked(form, "kind", "webinar") && !checked(form, "kind", "grant"));
            assert!(checked(form, "area", "kommuneoverlege"));
            assert_eq!(form.matches("name=\"area\"").count(), 1);
        }
        let page = app.text("/subscriptions").await;
        assert!(page.contains("<h1>Få kunngjøringer på e-post</h1>"), "the form on its own page");
        form_of(&page);
    }

    async fn an_invalid_address_is_a_422_naming_the_field_and_keeping_what_was_typed(app, sink) {
        let typed = [("language", "nb"), ("offered", "helsetjenester"), ("email", "kari(at)example.org"), ("kind", "webinar"), ("frequency", "weekly"), ("reminders", "true")];
        let answer = post(&app, "/subscriptions", &typed).await;
        assert_eq!(answer.status(), 422);
        let page = answer.text().await.unwrap();
        assert!(page.contains("<title>Feil: Få kunngjøringer på e-post – Tavla</title>"), "{page}");
        let summary = tag(&page, "id=\"feil\"");
        assert!(summary.contains("role=\"alert\"") && summary.contains("tabindex=\"-1\""));
        assert!(page.contains("<a href=\"#sub-email\">E-postadresse: må være en e-postadresse, som navn@kommune.no</a>"), "the summary names the field and links to it: {page}");
        let form = form_of(&page);
        let email = tag(form, "id=\"sub-email\"");
        assert!(email.contains("value=\"kari(at)example.org\""), "what was typed: {email}");
        assert!(email.contains("aria-invalid=\"true\"") && email.contains("aria-describedby=\"sub-email-feil\""));
        assert!(form.contains("<p class=\"error\" id=\"sub-email-feil\">"));
        assert!(checked(form, "kind", "webinar") && !checked(form, "kind", "grant"));
        assert!(!checked(form, "area", "helsetjenester"), "the area left unticked stays offered");
        assert!(checked(form, "frequency", "weekly") && checked(form, "reminders", "true"));
        assert!(tag(form, "name=\"language\"").contains("value=\"nb\""));

        let empty = post(&app, "/nn/subscriptions", &[("language", "nn"), ("email", " ")]).await;
        assert_eq!(empty.status(), 422);
        let page = empty.text().await.unwrap();
        assert!(page.contains("<a href=\"#sub-email\">E-postadresse: må fyllast ut</a>") && page.contains("lang=\"nn\""), "{page}");
        assert_eq!(confirmations(&app).await, 0, "nothing owed");
        assert!(sink.messages().is_empty());
    }

    async fn posting_the_form_sends_one_confirmation_in_the_pages_language(app, sink) {
        let answer = post(&app, "/nn/subscriptions", &KARI).await;
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["cache-control"], "no-store");
        let first = answer.text().await.unwrap();
        assert!(first.contains("<h1>Sjekk e-posten din</h1>") && first.contains("lang=\"nn\""), "{first}");
        assert!(first.contains("Viss kari@example.org ikkje abonnerer allereie"), "{first}");

        let mail = sink.wait_for(1, 10).await.remove(0);
        assert_eq!(mail.to, ["kari@example.org"]);
        assert!(mail.html().unwrap().contains("lang=\"nn\""), "in the page's written standard");
        let token = token_of(&link(&app, &mail, "/nn/subscriptions/confirm?token="));
        let store = app.store();
        let sent = token.clone();
        let id = store.run(move |c| stored::by_token(c, &sent, Purpose::Confirm)).await.unwrap().unwrap();
        let subscription = recipient(&app, id).await;
        assert_eq!(subscription.state, SubscriptionState::Pending);
        assert_eq!(subscription.filter.kinds, [Kind::Grant]);
        assert_eq!(subscription.filter.areas, ["helsetjenester"]);
        assert_eq!((subscription.frequency, subscription.language, subscription.reminders), (Frequency::Daily, MailLanguage::Nn, true));

        assert_eq!(post(&app, "/nn/subscriptions/confirm", &[("token", &token)]).await.status(), 200);
        let again = post(&app, "/nn/subscriptions", &KARI).await;
        assert_eq!(again.status(), 200);
        assert_eq!(again.text().await.unwrap(), first, "the same page whatever the address's state");
        assert_eq!(confirmations(&app).await, 1, "no confirmation for a confirmed address");
        assert_eq!(sink.messages().len(), 1);
        assert_eq!(stats(&app, &app.admin()).await["confirmed"], 1);
    }

    async fn the_manage_page_shows_the_subscription_and_saves_changes(app, sink) {
        let admin = app.admin();
        let id = confirmed(&app, &sink).await;
        let now = app.clock.now();
        app.store().run(move |c| stored::mint(c, id, Purpose::Manage, MANAGE, now)).await.unwrap();

        let shown = app.get(&format!("/subscriptions/manage?token={MANAGE}")).await;
        assert_eq!(shown.status(), 200);
        let page = shown.text().await.unwrap();
        let form = form_of(&page);
        assert!(form.contains("action=\"/subscriptions/manage\""));
        assert!(tag(form, "name=\"token\"").contains(&format!("value=\"{MANAGE}\"")));
        assert!(checked(form, "kind", "grant") && !checked(form, "kind", "news"));
        assert!(checked(form, "area", "helsetjenester") && !checked(form, "area", "kommuneoverlege"));
        assert!(checked(form, "frequency", "daily") && checked(form, "reminders", "true"));
        assert!(checked(form, "language", "nn") && !checked(form, "language", "nb"));
        assert!(!form.contains("name=\"email\""), "the address is not changed here");
        assert!(form.contains(">Lagre endringene</button>"));
        assert!(page.contains(&format!("action=\"/subscriptions/unsubscribe?token={MANAGE}\"")), "the button that ends it stays");
        let (due, _) = digest(&app, id).await;
        assert!(due.is_some(), "a daily subscription has its next digest");

        let changes = [("token", MANAGE), ("kind", "webinar"), ("kind", "news"), ("area", "kommuneoverlege"), ("frequency", "immediate"), ("language", "nb")];
        let saved = post(&app, "/subscriptions/manage", &changes).await;
        assert_eq!(saved.status(), 200);
        let page = saved.text().await.unwrap();
        assert!(page.contains("role=\"status\"") && page.contains("Endringene er lagret."), "{page}");
        let form = form_of(&page);
        assert!(checked(form, "kind", "webinar") && checked(form, "kind", "news") && !checked(form, "kind", "grant"));
        assert!(checked(form, "area", "kommuneoverlege") && !checked(form, "area", "helsetjenester"));
        assert!(checked(form, "frequency", "immediate") && !checked(form, "reminders", "true"));
        assert!(checked(form, "language", "nb"));
        let subscription = recipient(&app, id).await;
        assert_eq!(subscription.filter.kinds, [Kind::Webinar, Kind::News]);
        assert_eq!(subscription.filter.areas, ["kommuneoverlege"]);
        assert_eq!((subscription.frequency, subscription.language, subscription.reminders), (Frequency::Immediate, MailLanguage::Nb, false));
        assert_eq!(subscription.email, "kari@example.org");
        assert_eq!(digest(&app, id).await, (None, None), "no digest for an immediate one");
        let counts = stats(&app, &admin).await;
        assert_eq!((counts["by_frequency"]["immediate"].as_i64(), counts["by_language"]["nb"].as_i64()), (Some(1), Some(1)));

        // From the nynorsk page, to a daily digest: its next one is set.
        let before = app.clock.now();
        let daily = post(&app, "/nn/subscriptions/manage", &[("token", MANAGE), ("frequency", "daily"), ("language", "nb")]).await;
        let after = app.clock.now();
        assert_eq!(daily.status(), 200);
        let page = daily.text().await.unwrap();
        assert!(page.contains("lang=\"nn\"") && page.contains("Endringane er lagra."), "{page}");
        let (due, since) = digest(&app, id).await;
        let due = due.expect("a next digest").and_utc();
        let expected = [before, after].map(|at| next_digest(Frequency::Daily, at, seven()).unwrap());
        assert!(expected.contains(&due), "{due} is the next 07:00 in Oslo: {expected:?}");
        let since = since.expect("listing from the switch").and_utc();
        // Digest periods meet at whole seconds, as events' instants do.
        assert!(since >= chrono::SubsecRound::trunc_subsecs(before, 0) && since <= after);

        // From one digest to the other, what the next lists still starts at the last.
        let weekly = post(&app, "/subscriptions/manage", &[("token", MANAGE), ("frequency", "weekly"), ("language", "nb")]).await;
        assert_eq!(weekly.status(), 200);
        let (due, kept) = digest(&app, id).await;
        assert_eq!(kept.map(|at| at.and_utc()), Some(since));
        assert_eq!(due.unwrap().and_utc(), next_digest(Frequency::Weekly, since, seven()).unwrap());

        let wrong = post(&app, "/subscriptions/manage", &[("token", MANAGE), ("frequency", "hourly"), ("language", "nb")]).await;
        assert_eq!(wrong.status(), 422);
        let page = wrong.text().await.unwrap();
        assert!(page.contains("<a href=\"#sub-frequency\">Hvor ofte: må være et av valgene</a>"), "{page}");
        assert_eq!(recipient(&app, id).await.frequency, Frequency::Weekly, "nothing saved");

        let unknown = post(&app, "/subscriptions/manage", &[("token", "et-token-som-ingen-lenke-har-hatt"), ("frequency", "daily")]).await;
        assert!(unknown.text().await.unwrap().contains("Lenken virker ikke lenger"));
        let ended = app.client.post(app.url(&format!("/subscriptions/unsubscribe?token={MANAGE}")))
            .form(&[("List-Unsubscribe", "One-Click")]).send().await.unwrap();
        assert_eq!(ended.status(), 200);
        let spent = app.text(&format!("/nn/subscriptions/manage?token={MANAGE}")).await;
        assert!(spent.contains("Lenka verkar ikkje lenger"), "{spent}");
    }
}
