//! Tokens: issued by the command line or an admin, shown once, stored hashed, revocable.

mod common;

use std::process::Command;

use common::{assert_problem, grant_doc, TestApp, TestDb};
use reqwest::Method;
use serde_json::{json, Value};
use tavla::store::Backend;

/// Runs the `tavla` binary on the app's database.
fn tavla(app: &TestApp, args: &[&str]) -> std::process::Output {
    let url = match &app.backend {
        Backend::Sqlite(path) => path.clone(),
        Backend::Postgres(url) => url.clone(),
    };
    Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(args)
        .env("TAVLA_DATABASE_URL", url)
        .output()
        .unwrap()
}

on_every_backend! {
    async fn the_command_line_creates_lists_and_revokes_tokens(app: TestApp) {
        let created = tavla(&app, &["token", "create", "--name", "Redaksjonen", "--role", "editor",
                                    "--area", "helsetjenester", "--area", "kommuneoverlege"]);
        assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
        let stdout = String::from_utf8(created.stdout).unwrap();
        let secret = stdout.lines().last().unwrap().to_owned();
        assert!(secret.starts_with("tavla_") && !secret.contains(' '), "the secret alone on the last line: {stdout}");
        assert!(secret.len() >= 43 + 6, "at least 256 bits");
        let response = app.post_notice(&secret, &grant_doc("Fra kommandolinjen")).await;
        assert_eq!(response.status(), 201);

        let listed = tavla(&app, &["token", "list"]);
        let listing = String::from_utf8(listed.stdout).unwrap();
        assert!(listing.contains("Redaksjonen [helsetjenester, kommuneoverlege]"), "{listing}");
        assert!(!listing.contains(&secret[20..]), "secrets are never listed");
        let id = listing.lines().find(|l| l.contains("Redaksjonen")).unwrap().split_whitespace().next().unwrap().to_owned();

        let revoked = tavla(&app, &["token", "revoke", &id]);
        assert!(revoked.status.success());
        let refused = app.post_notice(&secret, &grant_doc("Etter tilbakekalling")).await;
        assert_problem(refused, 401, None).await;
        assert!(String::from_utf8(tavla(&app, &["token", "list"]).stdout).unwrap().contains("revoked"));

        let bad = tavla(&app, &["token", "create", "--name", "X", "--role", "editor",
                                "--area", "helsetjenester-med-persnopplysninger-av-saerlig-kategori"]);
        assert!(!bad.status.success());
        let stderr = String::from_utf8_lossy(&bad.stderr);
        assert!(stderr.contains("cannot be delegated"), "{stderr}");
        let unknown = tavla(&app, &["token", "revoke", "00000000-0000-4000-8000-000000000000"]);
        assert!(!unknown.status.success());
    }

    async fn the_only_active_admin_token_cannot_revoke_itself(app: TestApp) {
        let first = app.admin();
        app.editor(&["helsetjenester"]);
        let listed: Value = app.send(Method::GET, "/api/v1/admin/tokens", &first, None, &[]).await.json().await.unwrap();
        let admins: Vec<&Value> = listed["items"].as_array().unwrap().iter().filter(|t| t["role"] == "admin").collect();
        assert_eq!(admins.len(), 1);
        let first_id = admins[0]["id"].as_str().unwrap().to_owned();
        let revoke = |token: String, id: String| {
            let app = &app;
            async move { app.send(Method::DELETE, &format!("/api/v1/admin/tokens/{id}"), &token, None, &[]).await }
        };
        let alone = revoke(first.clone(), first_id.clone()).await;
        let body = assert_problem(alone, 409, None).await;
        assert!(body["detail"].as_str().unwrap().contains("only active admin"), "{body}");
        assert_eq!(app.post_notice(&first, &grant_doc("Fortsatt gyldig")).await.status(), 201, "still valid");

        let body = json!({"name": "Reserve", "role": "admin"});
        let issued: Value = app
            .send(Method::POST, "/api/v1/admin/tokens", &first, Some(&body), &[])
            .await
            .json()
            .await
            .unwrap();
        let second = issued["secret"].as_str().unwrap().to_owned();
        let second_id = issued["token"]["id"].as_str().unwrap().to_owned();
        assert_eq!(revoke(first.clone(), first_id).await.status(), 204, "another admin token remains");
        assert_problem(revoke(second.clone(), second_id).await, 409, None).await;
    }

    async fn an_admin_issues_lists_and_revokes_tokens_over_http(app: TestApp) {
        let admin = app.admin();
        let body = json!({"name": "Webinarteamet", "role": "editor", "areas": ["kommuneoverlege"],
                          "expires_at": "2099-01-01T00:00:00+01:00"});
        let response = app.send(Method::POST, "/api/v1/admin/tokens", &admin, Some(&body), &[]).await;
        assert_eq!(response.status(), 201);
        let issued: Value = response.json().await.unwrap();
        let secret = issued["secret"].as_str().unwrap().to_owned();
        assert_eq!(issued["token"]["role"], "editor");
        assert_eq!(issued["token"]["active"], true);
        let mut doc = grant_doc("Med ny nøkkel");
        doc["areas"] = json!(["kommuneoverlege"]);
        assert_eq!(app.post_notice(&secret, &doc).await.status(), 201);

        let listed = app.send(Method::GET, "/api/v1/admin/tokens", &admin, None, &[]).await;
        let listed = listed.text().await.unwrap();
        assert!(listed.contains("Webinarteamet"));
        assert!(!listed.contains(&secret), "no secret is ever shown again");
        assert!(!listed.contains("hash"));

        let id = issued["token"]["id"].as_str().unwrap();
        let revoked = app.send(Method::DELETE, &format!("/api/v1/admin/tokens/{id}"), &admin, None, &[]).await;
        assert_eq!(revoked.status(), 204);
        assert_problem(app.post_notice(&secret, &doc).await, 401, None).await;
        let missing = app
            .send(Method::DELETE, "/api/v1/admin/tokens/00000000-0000-4000-8000-000000000000", &admin, None, &[])
            .await;
        assert_problem(missing, 404, None).await;

        let invalid = json!({"name": "", "role": "owner", "areas": ["helse-pleie-omsorg-og-vern"], "secret": "x"});
        let response = app.send(Method::POST, "/api/v1/admin/tokens", &admin, Some(&invalid), &[]).await;
        let body = assert_problem(response, 422, Some("role")).await;
        let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&"secret") && fields.contains(&"name"), "{fields:?}");

        let audit = app.send(Method::GET, "/api/v1/admin/audit?action=token.revoke", &admin, None, &[]).await;
        let audit: Value = audit.json().await.unwrap();
        assert_eq!(audit["items"][0]["subject_token_id"], id);
    }

    async fn expired_tokens_are_refused(app: TestApp) {
        let admin = app.admin();
        let soon = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
        let body = json!({"name": "Kortvarig", "role": "admin", "expires_at": soon});
        let issued: Value = app
            .send(Method::POST, "/api/v1/admin/tokens", &admin, Some(&body), &[])
            .await
            .json()
            .await
            .unwrap();
        let secret = issued["secret"].as_str().unwrap();
        assert_eq!(app.send(Method::GET, "/api/v1/admin/notices", secret, None, &[]).await.status(), 200);
        app.clock.advance(chrono::Duration::hours(1) + chrono::Duration::seconds(1));
        let expired = app.send(Method::GET, "/api/v1/admin/notices", secret, None, &[]).await;
        assert_problem(expired, 401, None).await;
    }
}

/// `tavla token list | head`: the reader leaves early; the command ends
/// quietly instead of panicking on the closed pipe.
#[tokio::test]
async fn a_token_list_into_a_closed_pipe_ends_quietly() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    for i in 0..3 {
        let made = tavla(
            &app,
            &[
                "token",
                "create",
                "--name",
                &format!("Les {i}"),
                "--role",
                "admin",
            ],
        );
        assert!(made.status.success());
    }
    let Backend::Sqlite(path) = &app.backend else {
        unreachable!()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["token", "list"])
        .env("TAVLA_DATABASE_URL", path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader is gone before the command has opened its database.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
}
