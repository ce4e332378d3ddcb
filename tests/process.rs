//! An operator's view of a running `tavla serve` process: its logs (text
//! or JSON, a line per request, no secrets) and how it stops (SIGTERM
//! drains).

mod common;

use common::{TestApp, TestDb};
use reqwest::Method;

/// The log of a `tavla serve` process that answered a few requests, one
/// of them a sign-in with a secret and one a link token.
async fn logged_requests(app: &TestApp, env: &[(&str, &str)]) -> (String, String) {
    let log = app.dir().join("serve.log");
    let (mut child, base) = common::process::serve_logged(app, env, Some(&log)).await;
    let admin = app.admin();
    let client = reqwest::Client::new();
    let listed = client
        .get(format!("{base}/api/v1/notices?limit=3"))
        .header("x-request-id", "logg-1")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);
    let created = client
        .post(format!("{base}/api/v1/admin/notices"))
        .bearer_auth(&admin)
        .json(&common::grant_doc("Tilskudd som blir logget"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    client
        .get(format!("{base}/api/v1/notices/{id}"))
        .send()
        .await
        .unwrap();
    client
        .get(format!(
            "{base}/subscriptions/confirm?token=hemmelig-lenkenokkel"
        ))
        .send()
        .await
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    (std::fs::read_to_string(&log).unwrap(), admin)
}

/// `TAVLA_LOG_FORMAT=json`: every line is a JSON object, and each request
/// has one, with its method, route template, status, duration and id;
/// no secret or link token is in any.
#[tokio::test]
async fn json_logs_are_a_line_per_request_and_hold_no_secret() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let (logged, admin) = logged_requests(&app, &[("TAVLA_LOG_FORMAT", "json")]).await;
    let lines: Vec<serde_json::Value> = logged
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let access: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["target"] == "tavla::access")
        // The start's readiness polls.
        .filter(|l| l["fields"]["route"] != "/readyz")
        .collect();
    assert_eq!(access.len(), 4, "one line per request: {logged}");
    let first = &access[0]["fields"];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["route"], "/api/v1/notices");
    assert_eq!(first["status"], 200);
    assert_eq!(first["request_id"], "logg-1");
    assert!(first["duration_ms"].is_number());
    assert_eq!(
        access[2]["fields"]["route"], "/api/v1/notices/{id_or_slug}",
        "the template, not the path"
    );
    assert_eq!(access[1]["fields"]["status"], 201);
    let made = access[1]["fields"]["request_id"].as_str().unwrap();
    assert!(
        uuid::Uuid::try_parse(made).is_ok(),
        "an id is made when none is sent"
    );
    assert!(!logged.contains(&admin), "no bearer secret in the logs");
    assert!(
        !logged.contains("hemmelig-lenkenokkel"),
        "no link token in the logs"
    );
    assert!(!logged.contains('\u{1b}'), "no terminal colours in a file");
}

/// Text logs written to a file (not a terminal) have no colour codes.
#[tokio::test]
async fn text_logs_have_no_colours_off_a_terminal() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let (logged, admin) = logged_requests(&app, &[]).await;
    assert!(
        logged.contains("GET /api/v1/notices?limit=3 200"),
        "{logged}"
    );
    assert!(
        logged.contains("request_id=\"logg-1\"") || logged.contains("request_id=logg-1"),
        "{logged}"
    );
    assert!(!logged.contains('\u{1b}'), "no ANSI escapes: {logged:?}");
    assert!(!logged.contains(&admin) && !logged.contains("hemmelig-lenkenokkel"));
}

/// `tavla_ready` as the metrics listener at `metrics` shows it.
async fn ready_metric(metrics: &str) -> Option<String> {
    let text = reqwest::get(format!("{metrics}/metrics"))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("tavla_ready "))
        .map(str::to_owned)
}

/// SIGTERM drains: readiness fails at once (on `/readyz` and in the
/// metrics, which are served until the drain ends), no new request is
/// taken, a request under way (its body still arriving) finishes, and the
/// process exits 0.
#[tokio::test]
async fn sigterm_lets_a_request_under_way_finish_and_exits_cleanly() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let metrics = format!("127.0.0.1:{}", common::free_port());
    let env = [("TAVLA_METRICS_BIND", metrics.as_str())];
    let (mut child, base) = common::process::serve_logged(&app, &env, None).await;
    let metrics = format!("http://{metrics}");
    assert_eq!(ready_metric(&metrics).await.as_deref(), Some("1"));
    let admin = app.admin();
    let body = common::grant_doc("Tilskudd sendt mens Tavla stopper").to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let address = base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/admin/notices HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {admin}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(first).await.unwrap();
    slow.flush().await.unwrap();
    // The server has the request once it answers another on a new connection.
    assert_eq!(
        reqwest::get(format!("{base}/readyz"))
            .await
            .unwrap()
            .status(),
        200
    );
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    common::eventually(
        10,
        || "readiness to fail".into(),
        || async {
            let ready = reqwest::get(format!("{base}/readyz")).await;
            (!ready.is_ok_and(|r| r.status() == 200)).then_some(())
        },
    )
    .await;
    // Still draining (the request under way holds it open): scraped, not ready.
    assert_eq!(ready_metric(&metrics).await.as_deref(), Some("0"));
    slow.write_all(rest).await.unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request under way finished: {answer}"
    );
    let exit = tokio::task::spawn_blocking(move || child.wait());
    let status = tokio::time::timeout(std::time::Duration::from_secs(20), exit)
        .await
        .expect("the process exits within 20 s")
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
    let id = answer
        .split("\"id\":\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let kept = app
        .send(
            Method::GET,
            &format!("/api/v1/admin/notices/{id}"),
            &admin,
            None,
            &[],
        )
        .await;
    assert_eq!(kept.status(), 200, "the write was kept");
}
