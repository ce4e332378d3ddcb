//! A 2xx write survives the process being killed outright (SIGKILL).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::{free_port, grant_doc, TestApp, TestDb};
use tavla::store::Backend;

/// `tavla serve` as its own process on the app's database.
async fn serve(app: &TestApp) -> (Child, String) {
    let url = match &app.backend {
        Backend::Sqlite(path) => path.clone(),
        Backend::Postgres(url) => url.clone(),
    };
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("TAVLA_DATABASE_URL", url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("{base}/readyz")).await {
            if r.status() == 200 {
                return (child, base);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("tavla serve did not start");
}

on_every_backend! {
    async fn an_acknowledged_write_survives_sigkill(app: TestApp) {
        let admin = app.admin();
        let (mut child, base) = serve(&app).await;
        let client = reqwest::Client::new();
        let mut ids = Vec::new();
        for i in 0..5 {
            let response = client
                .post(format!("{base}/api/v1/admin/notices"))
                .bearer_auth(&admin)
                .json(&grant_doc(&format!("Tilskudd før krasj {i}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            let body: serde_json::Value = response.json().await.unwrap();
            ids.push(body["id"].as_str().unwrap().to_owned());
        }
        child.kill().unwrap(); // SIGKILL: no shutdown, no flush
        child.wait().unwrap();
        let (mut again, base) = serve(&app).await;
        for id in &ids {
            let response = client.get(format!("{base}/api/v1/notices/{id}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{id} survived");
        }
        again.kill().unwrap();
        again.wait().unwrap();
    }
}
