//! The admin API as a test calls it: tokens and authorised requests.

use serde_json::Value;

use super::{issue_token, TestApp};

impl TestApp {
    pub fn admin(&self) -> String {
        issue_token(self, "admin", &[])
    }

    pub fn editor(&self, areas: &[&str]) -> String {
        issue_token(self, "editor", areas)
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request sent")
    }

    /// POSTs a notice; returns the response.
    pub async fn post_notice(&self, token: &str, body: &Value) -> reqwest::Response {
        self.send(
            reqwest::Method::POST,
            "/api/v1/admin/notices",
            token,
            Some(body),
            &[],
        )
        .await
    }

    /// POSTs a notice that must be created; returns its admin JSON.
    pub async fn create_notice(&self, token: &str, body: &Value) -> Value {
        let response = self.post_notice(token, body).await;
        assert_eq!(response.status(), 201, "create {body}");
        response.json().await.unwrap()
    }

    /// PATCHes with If-Match; returns the response.
    pub async fn patch_notice(
        &self,
        token: &str,
        id: &str,
        etag: &str,
        patch: &Value,
    ) -> reqwest::Response {
        self.send(
            reqwest::Method::PATCH,
            &format!("/api/v1/admin/notices/{id}"),
            token,
            Some(patch),
            &[("if-match", etag)],
        )
        .await
    }
}
