//! Only published notices whose instant has come are public; withdrawn ones are gone.

mod common;

use chrono::Duration;
use common::{assert_problem, insert, news_notice, TestApp, TestDb};
use tavla::domain::State;

on_every_backend! {
    async fn drafts_scheduled_and_withdrawn_notices_stay_out_of_lists_and_feeds(app: TestApp) {
        let mut draft = news_notice("Et utkast", "Ikke ferdig");
        draft.state = State::Draft;
        let mut scheduled = news_notice("Planlagt kunngjøring", "Kommer senere");
        scheduled.published_at += Duration::days(1);
        let mut withdrawn = news_notice("Trukket kunngjøring", "Ikke lenger gjeldende");
        withdrawn.state = State::Withdrawn;
        let visible = news_notice("Synlig kunngjøring", "Nå");
        insert(
            &app,
            &[
                draft.clone(),
                scheduled.clone(),
                withdrawn.clone(),
                visible.clone(),
            ],
        );

        let ids: Vec<String> = app
            .all_notices("", 100)
            .await
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids.len(), 11);
        assert!(ids.contains(&visible.id.to_string()));
        let rss = app.text("/feed.rss").await;
        assert!(rss.contains(&visible.id.to_string()));
        for hidden in [&draft, &scheduled, &withdrawn] {
            assert!(!ids.contains(&hidden.id.to_string()), "{}", hidden.title);
            assert!(!rss.contains(&hidden.id.to_string()), "{}", hidden.title);
        }
        assert_problem(
            app.get(&format!("/api/v1/notices/{}", draft.id)).await,
            404,
            None,
        )
        .await;
        assert_problem(
            app.get(&format!("/api/v1/notices/{}", scheduled.slug))
                .await,
            404,
            None,
        )
        .await;
        assert_problem(
            app.get(&format!("/api/v1/notices/{}", withdrawn.id)).await,
            410,
            None,
        )
        .await;
        assert_eq!(
            app.get(&format!("/notices/{}", withdrawn.slug))
                .await
                .status(),
            410
        );
        assert_eq!(
            app.get(&format!("/notices/{}", scheduled.slug))
                .await
                .status(),
            404
        );
    }
}
