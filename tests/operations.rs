//! Health, readiness, the API description and unknown routes.

mod common;

use common::{assert_problem, TestApp, TestDb};

on_every_backend! {
    async fn health_and_readiness_answer(app: TestApp) {
        assert_eq!(app.json("/healthz").await["status"], "ok");
        assert_eq!(app.json("/readyz").await["status"], "ok");
    }

    async fn the_openapi_document_covers_every_route_and_schema(app: TestApp) {
        let doc = app.json("/openapi.json").await;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/notices",
            "/api/v1/notices/{id_or_slug}",
            "/api/v1/areas",
            "/feed.rss",
            "/healthz",
            "/readyz",
            "/openapi.json",
        ] {
            assert!(paths.contains_key(path), "{path} is documented");
        }
        let list = &paths["/api/v1/notices"]["get"];
        let params: Vec<&str> = list["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        for name in [
            "kind", "area", "q", "from", "to", "status", "limit", "cursor",
        ] {
            assert!(params.contains(&name), "parameter {name} is documented");
        }
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for schema in [
            "NoticeView",
            "NoticePage",
            "GrantView",
            "WebinarView",
            "AreaView",
            "Problem",
            "FieldError",
        ] {
            assert!(schemas.contains_key(schema), "schema {schema}");
        }
        let notice = &schemas["NoticeView"]["properties"];
        for field in [
            "id",
            "slug",
            "kind",
            "title",
            "summary",
            "published_at",
            "status",
            "areas",
            "url",
        ] {
            assert!(notice.get(field).is_some(), "NoticeView.{field}");
        }
    }

    async fn unknown_api_routes_are_problem_404s(app: TestApp) {
        assert_problem(app.get("/api/v1/finnes-ikke").await, 404, None).await;
        let response = app
            .client
            .post(app.url("/api/v1/notices"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405);
    }
}
