//! A webhook receiver on loopback: records every delivery (headers and
//! body), answers with the statuses it is told to, and can hang.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::Value;
use tokio::sync::watch;

/// One delivery as it arrived.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub user_agent: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Delivery {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn event_type(&self) -> String {
        self.json()["type"].as_str().unwrap().to_owned()
    }

    /// Whether `secret` signed it, by the Standard Webhooks library's own
    /// signing (its `verify` also checks the timestamp against the system
    /// clock, which tests move; `verify_now` uses it).
    pub fn signed_by(&self, secret: &str) -> bool {
        let expected = standardwebhooks::Webhook::new(secret)
            .unwrap()
            .sign(&self.id, self.timestamp, &self.body)
            .unwrap();
        self.signature.split(' ').any(|s| s == expected)
    }

    /// The library's whole check, timestamp included.
    pub fn verify_now(&self, secret: &str) -> Result<(), standardwebhooks::WebhookError> {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("webhook-id", self.id.parse().unwrap());
        headers.insert(
            "webhook-timestamp",
            self.timestamp.to_string().parse().unwrap(),
        );
        headers.insert("webhook-signature", self.signature.parse().unwrap());
        standardwebhooks::Webhook::new(secret)
            .unwrap()
            .verify(&self.body, &headers)
    }
}

pub struct Receiver {
    pub url: String,
    received: Arc<Mutex<Vec<Delivery>>>,
    /// The statuses of the next answers, in order; then 204.
    pub answers: Arc<Mutex<VecDeque<u16>>>,
    /// While true, every request waits.
    hanging: Arc<watch::Sender<bool>>,
}

impl Receiver {
    pub async fn start() -> Self {
        Self::on("127.0.0.1:0").await
    }

    pub async fn on(address: &str) -> Self {
        let received: Arc<Mutex<Vec<Delivery>>> = Default::default();
        let answers: Arc<Mutex<VecDeque<u16>>> = Default::default();
        let hanging = Arc::new(watch::Sender::new(false));
        let shared = (received.clone(), answers.clone(), hanging.clone());
        let server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new().default_service(web::to(move |request: HttpRequest, body: web::Bytes| {
                let (received, answers, hanging) = shared.clone();
                async move {
                    let header = |name: &str| {
                        request
                            .headers()
                            .get(name)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_owned()
                    };
                    received.lock().unwrap().push(Delivery {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
                        signature: header("webhook-signature"),
                        user_agent: header("user-agent"),
                        content_type: header("content-type"),
                        body: body.to_vec(),
                    });
                    let _ = hanging.subscribe().wait_for(|hangs| !hangs).await;
                    let status = answers.lock().unwrap().pop_front().unwrap_or(204);
                    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                        .body("svar fra mottakeren")
                }
            }))
        })
        .workers(2)
        .bind(address)
        .unwrap();
        let url = format!("http://{}/tavla", server.addrs()[0]);
        tokio::spawn(server.run());
        Self {
            url,
            received,
            answers,
            hanging,
        }
    }

    /// Makes every request wait (`true`) until it is let go (`false`).
    pub fn hang(&self, hangs: bool) {
        self.hanging.send_replace(hangs);
    }

    pub fn received(&self) -> Vec<Delivery> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (up to 20 s) until what was received satisfies `check`.
    pub async fn until(&self, what: &str, check: impl Fn(&[Delivery]) -> bool) -> Vec<Delivery> {
        super::eventually(
            20,
            || format!("the receiver to get {what}: {:#?}", self.received()),
            || async {
                let got = self.received();
                check(&got).then_some(got)
            },
        )
        .await
    }
}
