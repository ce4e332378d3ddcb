//! Health, readiness, the API description and unknown routes.

mod common;

use common::{assert_problem, TestApp, TestDb};
use reqwest::Method;
use serde_json::json;

on_every_backend! {
    async fn health_and_readiness_answer(app: TestApp) {
        assert_eq!(app.json("/healthz").await["status"], "ok");
        assert_eq!(app.json("/readyz").await["status"], "ok");
    }

    async fn the_openapi_document_covers_every_route_and_schema(app: TestApp) {
        let doc = app.json("/openapi.json").await;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        let routes = [
            ("/api/v1/notices", "get"),
            ("/api/v1/notices/{id_or_slug}", "get"),
            ("/api/v1/areas", "get"),
            ("/api/v1/changes", "get"),
            ("/feed.rss", "get"),
            ("/feed.atom", "get"),
            ("/feed.json", "get"),
            ("/calendar.ics", "get"),
            ("/healthz", "get"),
            ("/readyz", "get"),
            ("/openapi.json", "get"),
            ("/api/v1/admin/notices", "post"),
            ("/api/v1/admin/notices", "get"),
            ("/api/v1/admin/notices/{id}", "get"),
            ("/api/v1/admin/notices/{id}", "patch"),
            ("/api/v1/admin/notices/{id}", "delete"),
            ("/api/v1/admin/notices/{id}/revisions", "get"),
            ("/api/v1/admin/tokens", "post"),
            ("/api/v1/admin/tokens", "get"),
            ("/api/v1/admin/tokens/{id}", "delete"),
            ("/api/v1/admin/audit", "get"),
            ("/api/v1/subscriptions", "post"),
            ("/api/v1/admin/subscriptions/stats", "get"),
            ("/api/v1/admin/webhooks", "post"),
            ("/api/v1/admin/webhooks", "get"),
            ("/api/v1/admin/webhooks/{id}", "get"),
            ("/api/v1/admin/webhooks/{id}", "patch"),
            ("/api/v1/admin/webhooks/{id}", "delete"),
            ("/api/v1/admin/webhooks/{id}/rotate-secret", "post"),
            ("/api/v1/admin/webhooks/{id}/deliveries", "get"),
            ("/api/v1/admin/webhooks/{id}/deliveries/{event_id}/redeliver", "post"),
            ("/api/v1/admin/sources", "post"),
            ("/api/v1/admin/sources", "get"),
            ("/api/v1/admin/sources/{id}", "get"),
            ("/api/v1/admin/sources/{id}", "patch"),
            ("/api/v1/admin/sources/{id}", "delete"),
            ("/api/v1/admin/sources/{id}/fetch", "post"),
        ];
        for (path, method) in routes {
            assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is documented");
        }
        for (path, item) in paths {
            for (method, _) in item.as_object().unwrap() {
                assert!(routes.contains(&(path.as_str(), method.as_str())), "{method} {path} is tested here too");
            }
        }
        // Every status an operation can answer is listed.
        for (path, item) in paths {
            for (method, operation) in item.as_object().unwrap() {
                let statuses: Vec<&str> = operation["responses"].as_object().unwrap().keys().map(String::as_str).collect();
                let mut expected = vec!["500"];
                if path.starts_with("/api/v1/admin/") {
                    expected.extend(["401", "429"]);
                }
                if operation.get("requestBody").is_some() {
                    expected.extend(["400", "413", "415", "422"]);
                }
                let queried = operation["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
                if queried {
                    expected.push("400");
                }
                for status in expected {
                    assert!(statuses.contains(&status), "{method} {path} lists {status}: {statuses:?}");
                }
            }
        }
        let tokens = &paths["/api/v1/admin/tokens"]["post"]["responses"];
        for status in ["400", "413", "415", "429"] {
            assert!(tokens.get(status).is_some(), "token creation lists {status}");
        }
        // Parameters say which values and bounds they take.
        let parameter = |path: &str, method: &str, name: &str| {
            paths[path][method]["parameters"].as_array().unwrap().iter()
                .find(|p| p["name"] == name).unwrap_or_else(|| panic!("{name} of {path}")).clone()
        };
        assert_eq!(parameter("/api/v1/notices", "get", "kind")["schema"]["items"]["enum"], json!(["grant", "webinar", "news"]));
        assert_eq!(parameter("/calendar.ics", "get", "kind")["schema"]["items"]["enum"], json!(["grant", "webinar"]));
        assert_eq!(parameter("/api/v1/admin/notices", "get", "state")["schema"]["items"]["enum"], json!(["draft", "published", "withdrawn"]));
        let status = parameter("/api/v1/notices", "get", "status")["schema"]["items"]["enum"].clone();
        assert_eq!(status.as_array().unwrap().len(), 5, "{status}");
        let limit = parameter("/api/v1/notices", "get", "limit")["schema"].clone();
        assert_eq!((limit["minimum"].as_i64(), limit["maximum"].as_i64()), (Some(1), Some(100)));
        assert_eq!(parameter("/api/v1/changes", "get", "limit")["schema"]["maximum"], 1000);

        let list = &paths["/api/v1/notices"]["get"];
        let params: Vec<&str> = list["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for name in ["kind", "area", "q", "from", "to", "status", "limit", "cursor"] {
            assert!(params.contains(&name), "parameter {name} is documented");
        }
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for schema in [
            "NoticeView", "NoticePage", "GrantView", "WebinarView", "AreaView", "Problem", "FieldError",
            "AdminNoticeView", "AdminNoticePage", "NoticeDocument", "GrantDocument", "WebinarDocument",
            "ChangePage", "ChangeView", "RevisionList", "TokenRequest", "IssuedToken", "TokenList", "AuditPage",
        ] {
            assert!(schemas.contains_key(schema), "schema {schema}");
        }
        let create = &paths["/api/v1/admin/notices"]["post"];
        assert_eq!(
            create["requestBody"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/NoticeDocument"
        );
        assert!(create["security"].is_array(), "admin routes name their bearer token");
        let notice = &schemas["NoticeView"]["properties"];
        for field in ["id", "slug", "kind", "title", "summary", "published_at", "status", "areas", "url"] {
            assert!(notice.get(field).is_some(), "NoticeView.{field}");
        }
    }

    async fn public_reads_answer_head_and_any_origin(app: TestApp) {
        for path in ["/api/v1/notices", "/api/v1/notices/tilskudd-til-hospitering", "/api/v1/areas",
                     "/api/v1/changes", "/feed.rss", "/calendar.ics", "/", "/healthz", "/openapi.json"] {
            let head = app.client.head(app.url(path)).send().await.unwrap();
            assert_eq!(head.status(), 200, "HEAD {path}");
            assert!(head.bytes().await.unwrap().is_empty());
            let cors = app
                .client
                .get(app.url(path))
                .header("origin", "https://dashboard.kommune.no")
                .send()
                .await
                .unwrap();
            assert_eq!(cors.headers()["access-control-allow-origin"], "*", "{path}");
        }
        let preflight = app
            .client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/notices"))
            .header("origin", "https://dashboard.kommune.no")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "if-none-match")
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success(), "{}", preflight.status());
        let exposed = app
            .client
            .get(app.url("/feed.rss"))
            .header("origin", "https://dashboard.kommune.no")
            .send()
            .await
            .unwrap();
        let exposed = exposed.headers()["access-control-expose-headers"].to_str().unwrap().to_lowercase();
        assert!(exposed.contains("etag"), "{exposed}");
    }

    async fn unknown_api_routes_are_problem_404s(app: TestApp) {
        assert_problem(app.get("/api/v1/finnes-ikke").await, 404, None).await;
        for method in [Method::POST, Method::DELETE, Method::PUT] {
            let response = app.client.request(method.clone(), app.url("/api/v1/finnes-ikke")).send().await.unwrap();
            assert!(response.headers().get("allow").is_none());
            assert_problem(response, 404, None).await;
            let response = app.client.request(method, app.url("/finnes/ikke")).send().await.unwrap();
            assert_problem(response, 404, None).await;
        }
    }

    async fn an_over_long_request_target_is_a_414_problem(app: TestApp) {
        let cursor = "a".repeat(tavla::routes::MAX_URI_BYTES);
        let problem = assert_problem(app.get(&format!("/api/v1/notices?cursor={cursor}")).await, 414, None).await;
        assert!(problem["detail"].as_str().unwrap().contains("8192"), "{problem}");
        let response = app.get(&format!("/feed.rss?area={}", "b".repeat(9000))).await;
        assert_problem(response, 414, None).await;
        // Just under the bound, the parameter itself is named.
        let cursor = "a".repeat(tavla::routes::MAX_URI_BYTES - 100);
        assert_problem(app.get(&format!("/api/v1/notices?cursor={cursor}")).await, 400, Some("cursor")).await;
    }

    async fn a_path_asked_with_a_method_it_does_not_take_is_405_naming_those_it_does(app: TestApp) {
        let methods = [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];
        for (pattern, allowed) in tavla::routes::METHODS {
            let path = pattern.replace("{id}", &uuid::Uuid::new_v4().to_string()).replace("{id_or_slug}", "x").replace("{slug}", "x");
            let allows: Vec<&str> = allowed.split(", ").collect();
            for method in &methods {
                let response = app.client.request(method.clone(), app.url(&path)).send().await.unwrap();
                if allows.contains(&method.as_str()) {
                    assert_ne!(response.status(), 405, "{method} {path} is taken");
                } else {
                    assert_eq!(response.headers().get("allow").map(|v| v.to_str().unwrap()), Some(*allowed), "{method} {path}");
                    if *method != Method::HEAD {
                        let problem = assert_problem(response, 405, None).await;
                        assert!(problem["detail"].as_str().unwrap().contains(allowed));
                    } else {
                        assert_eq!(response.status(), 405);
                    }
                }
            }
        }
        // Every operation the OpenAPI document describes is among them.
        let doc = app.json("/openapi.json").await;
        for (path, item) in doc["paths"].as_object().unwrap() {
            let (_, allowed) = tavla::routes::METHODS.iter().find(|(p, _)| p == path)
                .unwrap_or_else(|| panic!("{path} has its methods listed"));
            for (method, _) in item.as_object().unwrap() {
                assert!(allowed.split(", ").any(|m| m.eq_ignore_ascii_case(method)), "{method} {path} in {allowed}");
            }
        }
    }
}

/// `X-Request-Id`: a well-formed one is kept, a missing or malformed one is
/// replaced by one made here; every answer returns it, and a problem gives
/// it too, so a user's report leads to the log line.
#[tokio::test]
async fn every_answer_names_its_request_and_problems_say_it_too() {
    let app = TestApp::spawn(TestDb::Sqlite).await;
    let asked = |id: Option<&str>, path: &str| {
        let mut request = app.client.get(app.url(path));
        if let Some(id) = id {
            request = request.header("x-request-id", id);
        }
        request.send()
    };
    let kept = asked(Some("kommune-42.lb:7"), "/api/v1/notices")
        .await
        .unwrap();
    assert_eq!(kept.status(), 200);
    assert_eq!(kept.headers()["x-request-id"], "kommune-42.lb:7");
    let made = asked(None, "/feed.rss").await.unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::try_parse(&id).is_ok(), "{id}");
    let other = asked(None, "/feed.rss").await.unwrap();
    assert_ne!(
        other.headers()["x-request-id"].to_str().unwrap(),
        id,
        "one id per request"
    );
    for forged in ["to ord", "<script>", &"a".repeat(200)] {
        let replaced = asked(Some(forged), "/").await.unwrap();
        let id = replaced.headers()["x-request-id"].to_str().unwrap();
        assert!(
            uuid::Uuid::try_parse(id).is_ok(),
            "{forged:?} replaced by {id}"
        );
    }
    let problem = asked(Some("feil-1"), "/api/v1/notices?limit=0")
        .await
        .unwrap();
    assert_eq!(problem.headers()["x-request-id"], "feil-1");
    let body = common::assert_problem(problem, 400, Some("limit")).await;
    assert_eq!(body["request_id"], "feil-1");
    let missing = asked(None, "/api/v1/notices/ingen-slik").await.unwrap();
    let id = missing.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = common::assert_problem(missing, 404, None).await;
    assert_eq!(body["request_id"], id.as_str());
}
