//! `tavla serve` as a process of its own on a test app's database, as an
//! operator runs it: killed, restarted, its logs read.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tavla::store::Backend;

use super::{free_port, TestApp};

/// `tavla serve` as its own process on the app's database.
pub async fn serve(app: &TestApp) -> (Child, String) {
    serve_with(app, &[]).await
}

/// As `serve`, with more settings from the environment.
pub async fn serve_with(app: &TestApp, env: &[(&str, &str)]) -> (Child, String) {
    serve_logged(app, env, None).await
}

/// As `serve_with`, writing what the process logs to `log`.
pub async fn serve_logged(
    app: &TestApp,
    env: &[(&str, &str)],
    log: Option<&std::path::Path>,
) -> (Child, String) {
    let url = match &app.backend {
        Backend::Sqlite(path) => path.clone(),
        Backend::Postgres(url) => url.clone(),
    };
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tavla"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("TAVLA_DATABASE_URL", url)
        .envs(env.iter().copied())
        .stdout(log.map_or_else(Stdio::null, |path| {
            std::fs::File::create(path).unwrap().into()
        }))
        .stderr(log.map_or_else(Stdio::null, |path| {
            let file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
            file.into()
        }))
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
