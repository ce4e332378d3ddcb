//! An upstream feed on loopback, as a directorate's or a partner's web
//! server would serve it: `/feed` with an `ETag` and `Last-Modified`,
//! answering `304` to a request that names its current `ETag`. Records
//! every request's headers; can be told to answer other statuses, to
//! redirect, and to serve what a hostile server would.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use actix_web::http::header;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use futures_util::StreamExt;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub user_agent: String,
}

/// What `/feed` serves.
#[derive(Debug, Clone)]
pub struct Document {
    pub body: Vec<u8>,
    pub content_type: String,
    pub etag: String,
    pub last_modified: String,
}

/// An answer given once, before the document: a status and its headers.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    document: Option<Document>,
    answers: VecDeque<Answer>,
    requests: Vec<Request>,
    version: u32,
}

pub struct Upstream {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    state: Arc<Mutex<State>>,
}

impl Upstream {
    pub async fn start() -> Self {
        let state: Arc<Mutex<State>> = Default::default();
        let shared = state.clone();
        let server = HttpServer::new(move || {
            let shared = shared.clone();
            App::new().default_service(web::to(move |request: HttpRequest| {
                let state = shared.clone();
                async move { answer(&state, &request) }
            }))
        })
        .workers(2)
        .bind("127.0.0.1:0")
        .unwrap();
        let base = format!("http://{}", server.addrs()[0]);
        tokio::spawn(server.run());
        Self { base, state }
    }

    /// The feed's URL.
    pub fn feed_url(&self) -> String {
        format!("{}/feed", self.base)
    }

    /// Serves `body` at `/feed` from now on, with a new `ETag` and
    /// `Last-Modified`.
    pub fn serve(&self, body: impl Into<Vec<u8>>, content_type: &str) {
        let mut state = self.state.lock().unwrap();
        state.version += 1;
        let version = state.version;
        state.document = Some(Document {
            body: body.into(),
            content_type: content_type.to_owned(),
            etag: format!("\"v{version}\""),
            last_modified: format!("Mon, 0{} Nov 2026 08:00:00 GMT", version.min(9)),
        });
    }

    /// Answers the next request with `status` and `headers`, before the document.
    pub fn answer_once(&self, status: u16, headers: &[(&str, &str)]) {
        self.state.lock().unwrap().answers.push_back(Answer {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        });
    }

    pub fn document(&self) -> Document {
        self.state.lock().unwrap().document.clone().unwrap()
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }
}

fn answer(state: &Mutex<State>, request: &HttpRequest) -> HttpResponse {
    let header = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let mut state = state.lock().unwrap();
    let path = request.path().to_owned();
    state.requests.push(Request {
        path: path.clone(),
        if_none_match: header(header::IF_NONE_MATCH),
        if_modified_since: header(header::IF_MODIFIED_SINCE),
        user_agent: header(header::USER_AGENT).unwrap_or_default(),
    });
    // `/endless`: a feed that never ends, sent in chunks with no length.
    if path == "/endless" {
        let start = futures_util::stream::once(async {
            Ok::<_, actix_web::Error>(web::Bytes::from_static(
                b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>",
            ))
        });
        let filler = futures_util::stream::repeat_with(|| {
            Ok::<_, actix_web::Error>(web::Bytes::from(vec![b'x'; 64 * 1024]))
        });
        return HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "application/rss+xml"))
            .streaming(start.chain(filler));
    }
    // `/redirect/N`: N redirects, then the feed.
    if let Some(left) = path.strip_prefix("/redirect/") {
        let left: u32 = left.parse().unwrap_or(0);
        let next = match left {
            0 | 1 => "/feed".to_owned(),
            n => format!("/redirect/{}", n - 1),
        };
        return HttpResponse::Found()
            .insert_header((header::LOCATION, next))
            .finish();
    }
    if let Some(once) = state.answers.pop_front() {
        let mut response =
            HttpResponse::build(actix_web::http::StatusCode::from_u16(once.status).unwrap());
        for (name, value) in &once.headers {
            response.insert_header((name.as_str(), value.as_str()));
        }
        return response.body("upstream says no");
    }
    let Some(document) = &state.document else {
        return HttpResponse::NotFound().finish();
    };
    if header(header::IF_NONE_MATCH).as_deref() == Some(document.etag.as_str()) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, document.etag.clone()))
            .finish();
    }
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, document.content_type.clone()))
        .insert_header((header::ETAG, document.etag.clone()))
        .insert_header((header::LAST_MODIFIED, document.last_modified.clone()))
        .body(document.body.clone())
}

/// An RSS 2.0 feed of `items` (guid, title, description, link, date).
pub fn rss(items: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Oppstrøms</title><link>https://oppstroms.example.no/</link>\
         <description>Kunngjøringer</description>",
    );
    for (guid, title, description, link, date) in items {
        xml.push_str(&format!(
            "<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title>\
             <description>{description}</description><link>{link}</link>\
             <pubDate>{date}</pubDate></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}
