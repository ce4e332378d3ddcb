//! E-mail subscriptions in the store, on both backends: a pending
//! subscription and its confirmation, the pause between confirmation
//! e-mails, tokens kept hashed, unconfirmed ones forgotten after 48 hours.

mod common;

use chrono::Duration;
use common::{TestApp, TestDb};
use serde_json::json;
use tavla::domain::subscription::{self, SubscriptionInput};
use tavla::domain::Taxonomy;
use tavla::store::subscriptions::{self as stored, Purpose, Subscribed};

fn seven() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap()
}

fn input(doc: serde_json::Value) -> SubscriptionInput {
    subscription::parse(&doc, &Taxonomy::new(tavla::seed::taxonomy())).unwrap()
}

on_every_backend! {
    async fn a_subscription_is_confirmed_by_its_token_and_confirmation_mails_pause(app: TestApp) {
        let store = app.store();
        let now = app.clock.now();
        let wish = input(json!({"email": "Kari@Example.org", "kind": ["grant"], "language": "nn"}));
        let first = { let w = wish.clone(); store.run(move |c| stored::subscribe(c, &w, now)).await.unwrap() };
        let Subscribed::Confirm(id) = first else { panic!("a new address is owed a confirmation: {first:?}") };
        let again = { let w = wish.clone(); store.run(move |c| stored::subscribe(c, &w, now + Duration::minutes(9))).await.unwrap() };
        assert_eq!(again, Subscribed::Nothing, "at most one confirmation per ten minutes");
        let other_case = input(json!({"email": "kari@EXAMPLE.ORG"}));
        let later = store.run(move |c| stored::subscribe(c, &other_case, now + Duration::minutes(11))).await.unwrap();
        assert_eq!(later, Subscribed::Confirm(id), "the same address, however written");

        let token = "et-langt-tilfeldig-token-til-bekreftelse";
        store.run(move |c| stored::mint(c, id, Purpose::Confirm, token, now)).await.unwrap();
        let kept: Vec<String> = store.run(|c| {
            use diesel::prelude::*;
            Ok(tavla::store::schema::subscription_tokens::table.select(tavla::store::schema::subscription_tokens::token_hash).load(c)?)
        }).await.unwrap();
        assert_eq!(kept, [stored::hash(token)], "only the token's hash is kept");
        assert_eq!(store.run(move |c| stored::by_token(c, token, Purpose::Unsubscribe)).await.unwrap(), None, "a token is for one purpose");
        assert_eq!(store.run(move |c| stored::confirm(c, token, now, seven())).await.unwrap(), Some(id));
        assert_eq!(store.run(move |c| stored::confirm(c, token, now, seven())).await.unwrap(), None, "spent");
        let confirmed = input(json!({"email": "kari@example.org", "kind": ["news"]}));
        assert_eq!(store.run(move |c| stored::subscribe(c, &confirmed, now)).await.unwrap(), Subscribed::Nothing, "a confirmed subscription is not changed by anyone's request");
        let counts = store.run(stored::stats).await.unwrap();
        assert_eq!(counts, [("confirmed".to_owned(), "immediate".to_owned(), "nb".to_owned(), 1)]);
    }

    async fn without_an_smtp_relay_subscribing_is_a_503_and_admins_see_counts_only(app: TestApp) {
        let refused = app.client.post(app.url("/api/v1/subscriptions")).json(&json!({"email": "kari@example.org"})).send().await.unwrap();
        let problem = common::assert_problem(refused, 503, None).await;
        assert!(problem["detail"].as_str().unwrap().contains("TAVLA_SMTP_URL"), "{problem}");
        assert!(!problem.to_string().contains("kari@example.org"), "the address is not echoed");

        let store = app.store();
        let now = app.clock.now();
        for (email, frequency, language) in [("a@example.org", "daily", "nn"), ("b@example.org", "immediate", "nb"), ("c@example.org", "weekly", "nb")] {
            let wish = input(json!({"email": email, "frequency": frequency, "language": language}));
            let Subscribed::Confirm(id) = store.run(move |c| stored::subscribe(c, &wish, now)).await.unwrap() else { panic!() };
            if email != "c@example.org" {
                let token = format!("bekreft-{email}");
                store.run(move |c| stored::mint(c, id, Purpose::Confirm, &token, now)).await.unwrap();
                let token = format!("bekreft-{email}");
                store.run(move |c| stored::confirm(c, &token, now, seven())).await.unwrap().unwrap();
            }
        }
        let admin = app.admin();
        let editor = app.editor(&["helsetjenester"]);
        let path = "/api/v1/admin/subscriptions/stats";
        assert_eq!(app.send(reqwest::Method::GET, path, &editor, None, &[]).await.status(), 403);
        let stats: serde_json::Value = app.send(reqwest::Method::GET, path, &admin, None, &[]).await.json().await.unwrap();
        assert_eq!(stats, json!({
            "pending": 1, "confirmed": 2, "suspended": 0,
            "by_frequency": {"immediate": 1, "daily": 1, "weekly": 0},
            "by_language": {"nb": 1, "nn": 1},
        }));
        assert!(!stats.to_string().contains('@'), "never an address");
    }

    async fn unconfirmed_subscriptions_and_their_addresses_are_forgotten_after_48_hours(app: TestApp) {
        let store = app.store();
        let now = app.clock.now();
        let wish = input(json!({"email": "per@example.org"}));
        let Subscribed::Confirm(id) = store.run(move |c| stored::subscribe(c, &wish, now)).await.unwrap() else { panic!() };
        store.run(move |c| stored::mint(c, id, Purpose::Confirm, "bekreft-per", now)).await.unwrap();
        let kept = store.run(move |c| stored::forget_unconfirmed(c, now - Duration::hours(1), 100)).await.unwrap();
        assert_eq!(kept, 0, "not before its time");
        let gone = store.run(move |c| stored::forget_unconfirmed(c, now + stored::UNCONFIRMED_KEPT, 100)).await.unwrap();
        assert_eq!(gone, 1);
        assert_eq!(store.run(|c| stored::by_token(c, "bekreft-per", Purpose::Confirm)).await.unwrap(), None, "its tokens with it");
        assert!(store.run(stored::stats).await.unwrap().is_empty(), "no address left");

        // The server's worker forgets them when their time has come.
        let wish = input(json!({"email": "ola@example.org"}));
        store.run(move |c| stored::subscribe(c, &wish, now)).await.unwrap();
        app.clock.advance(Duration::hours(47));
        assert_eq!(store.run(stored::stats).await.unwrap().len(), 1, "kept for 48 hours");
        app.clock.advance(Duration::hours(2));
        common::eventually(10, || "the unconfirmed subscription forgotten".into(), || async {
            store.run(stored::stats).await.unwrap().is_empty().then_some(())
        })
        .await;
    }

    async fn link_tokens_are_forgotten_after_half_a_year(app: TestApp) {
        let store = app.store();
        let now = app.clock.now();
        let wish = input(json!({"email": "gammel@example.org"}));
        let Subscribed::Confirm(id) = store.run(move |c| stored::subscribe(c, &wish, now)).await.unwrap() else { panic!() };
        let (old, new) = ("et-gammelt-token-til-en-lenke-i-en-e-post", "et-nytt-token-til-en-lenke-i-en-e-post");
        store.run(move |c| stored::mint(c, id, Purpose::Manage, old, now - Duration::days(200))).await.unwrap();
        store.run(move |c| stored::mint(c, id, Purpose::Manage, new, now - Duration::days(10))).await.unwrap();
        let before = now - stored::LINKS_KEPT;
        assert_eq!(store.run(move |c| stored::forget_old_tokens(c, before, 100)).await.unwrap(), 1);
        assert_eq!(store.run(move |c| stored::by_token(c, old, Purpose::Manage)).await.unwrap(), None);
        assert_eq!(store.run(move |c| stored::by_token(c, new, Purpose::Manage)).await.unwrap(), Some(id));
    }
}
