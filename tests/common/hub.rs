//! A WebSub hub on loopback that records every notification it receives.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpResponse, HttpServer};
use tokio::sync::watch;

/// Every notification the hub received, as form fields.
type Received = Arc<Mutex<Vec<Vec<(String, String)>>>>;

pub struct Hub {
    pub url: String,
    pub received: Received,
    /// Whether a holding hub still holds its answers.
    holding: Arc<watch::Sender<bool>>,
    /// How many more notifications to refuse with 503.
    pub refuse: Arc<AtomicUsize>,
}

impl Hub {
    /// A hub on a free port; if `hold`, it answers nothing until released.
    pub async fn start(hold: bool) -> Self {
        Self::on("127.0.0.1:0", hold).await
    }

    /// A hub listening on `address`.
    pub async fn on(address: &str, hold: bool) -> Self {
        let received: Received = Default::default();
        let holding = Arc::new(watch::Sender::new(hold));
        let refuse = Arc::new(AtomicUsize::new(0));
        let (seen, gate, refusing) = (received.clone(), holding.clone(), refuse.clone());
        let server = HttpServer::new(move || {
            let (seen, gate, refusing) = (seen.clone(), gate.clone(), refusing.clone());
            App::new().default_service(web::to(move |body: web::Bytes| {
                let (seen, gate, refusing) = (seen.clone(), gate.clone(), refusing.clone());
                async move {
                    let refused = refusing
                        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                        .is_ok();
                    if refused {
                        return HttpResponse::ServiceUnavailable().finish();
                    }
                    let form = form_urlencoded::parse(&body).into_owned().collect();
                    seen.lock().unwrap().push(form);
                    // Waits while held; once released, for good, never.
                    let _ = gate.subscribe().wait_for(|held| !held).await;
                    HttpResponse::NoContent().finish()
                }
            }))
        })
        .workers(1)
        .bind(address)
        .unwrap();
        let url = format!("http://{}/hub", server.addrs()[0]);
        tokio::spawn(server.run());
        Hub {
            url,
            received,
            holding,
            refuse,
        }
    }

    /// Lets every held answer go, and every later one straight through.
    pub fn release(&self) {
        self.holding.send_replace(false);
    }

    /// The topics notified so far, in order of arrival.
    pub fn topics(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|form| {
                assert!(
                    form.contains(&("hub.mode".to_owned(), "publish".to_owned())),
                    "{form:?}"
                );
                form.iter().find(|(k, _)| k == "hub.url").unwrap().1.clone()
            })
            .collect()
    }

    /// How often `topic` was notified.
    pub fn count(&self, topic: &str) -> usize {
        self.topics().iter().filter(|t| *t == topic).count()
    }

    /// Waits (up to `seconds`) until the topics heard pass `check`.
    pub async fn until_within(&self, seconds: u64, mut check: impl FnMut(&[String]) -> bool) {
        let what = || format!("the hub to hear it; it heard {:#?}", self.topics());
        super::eventually(seconds, what, || {
            std::future::ready(check(&self.topics()).then_some(()))
        })
        .await
    }

    /// As `until_within`, for the few seconds a delivery takes.
    pub async fn until(&self, check: impl FnMut(&[String]) -> bool) {
        self.until_within(5, check).await
    }
}
