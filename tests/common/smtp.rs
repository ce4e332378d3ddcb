//! An SMTP server on loopback for the mail the app sends: `mailin` speaks the
//! protocol, a tokio listener feeds it lines. It keeps every message that
//! arrives (envelope and raw bytes), refuses recipients with a chosen code
//! when told to, and stops and starts again on its port, so tests see a mail
//! server that is down, refusing or back.

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use mail_parser::{MessageParser, MimeHeaders, PartType};
use mailin::response::{AUTH_OK, OK};
use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

/// One message as it arrived: its envelope and its bytes, dot-unstuffed.
#[derive(Clone, Default)]
pub struct Mail {
    /// The envelope's sender (MAIL FROM), without angle brackets.
    pub from: String,
    /// The envelope's recipients (RCPT TO), in the order given.
    pub to: Vec<String>,
    /// The user name and password the connection authenticated with, if any.
    pub auth: Option<(String, String)>,
    /// The message data as sent after DATA, dot-unstuffed, up to the final
    /// dot's line (lettre's last line is an empty one it adds itself).
    pub raw: Vec<u8>,
}

/// Shows the raw message as text, for readable failures.
impl std::fmt::Debug for Mail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("auth", &self.auth)
            .field("raw", &String::from_utf8_lossy(&self.raw))
            .finish()
    }
}

impl Mail {
    fn parsed(&self) -> mail_parser::Message<'_> {
        MessageParser::default()
            .parse(&self.raw)
            .expect("the sink received a parsable message")
    }

    /// The first header `name` (any case), RFC 2047 words decoded, unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let message = self.parsed();
        let value = message.header_as(name, mail_parser::HeaderForm::Text);
        Some(value.into_iter().next()?.into_text()?.into_owned())
    }

    /// The decoded Subject.
    pub fn subject(&self) -> Option<String> {
        self.parsed().subject().map(str::to_owned)
    }

    /// The Message-ID, without its angle brackets.
    pub fn message_id(&self) -> Option<String> {
        self.parsed().message_id().map(str::to_owned)
    }

    /// The text/plain body part, transfer encoding and charset decoded (never
    /// a text made from the HTML part).
    pub fn text(&self) -> Option<String> {
        self.body(false)
    }

    /// The text/html body part, decoded (never HTML made from the text part).
    pub fn html(&self) -> Option<String> {
        self.body(true)
    }

    /// The first inline body part of the type asked for, as sent.
    fn body(&self, html: bool) -> Option<String> {
        let message = self.parsed();
        let ids = [&message.text_body, &message.html_body][usize::from(html)];
        let mut bodies = ids.iter().map(|&id| &message.parts[id as usize].body);
        bodies.find_map(|body| match (body, html) {
            (PartType::Text(body), false) | (PartType::Html(body), true) => Some(body.to_string()),
            _ => None,
        })
    }

    /// Whether the message as a whole is multipart/alternative.
    pub fn is_multipart_alternative(&self) -> bool {
        let message = self.parsed();
        message
            .root_part()
            .is_content_type("multipart", "alternative")
    }
}

/// What the sink holds and is told, shared by its connections.
#[derive(Default)]
struct State {
    mails: Vec<Mail>,
    /// The code RCPT answers with while `refusals_left` > 0.
    refusal_code: u16,
    refusals_left: usize,
    /// Transactions refused so far.
    refused: usize,
    require_auth: bool,
}

/// A running SMTP server on 127.0.0.1; dropping it stops it too.
pub struct SmtpSink {
    port: u16,
    state: Arc<Mutex<State>>,
    /// Dropping the sender stops the server task; then it is awaited.
    server: Mutex<Option<(oneshot::Sender<()>, JoinHandle<()>)>>,
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// Starts a fresh sink (no messages, accepting) on `port`: again on the
    /// port of a stopped one, or on a free one for 0.
    pub async fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .unwrap_or_else(|e| panic!("the SMTP sink binds 127.0.0.1:{port}: {e}"));
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let (stop, stopped) = oneshot::channel();
        let server = tokio::spawn(serve(listener, state.clone(), stopped));
        let server = Mutex::new(Some((stop, server)));
        Self {
            port,
            state,
            server,
        }
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`, plain SMTP: the app's `TAVLA_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Stops listening and closes every open connection; when this returns,
    /// connecting to the port is refused. Messages received stay readable.
    pub async fn stop(&self) {
        let server = self.server.lock().unwrap().take();
        if let Some((stop, server)) = server {
            drop(stop);
            server.await.expect("the SMTP sink stops cleanly");
        }
    }

    /// Refuses the next `n` mail transactions: each RCPT in them answers
    /// `code` (4xx transient, 5xx permanent).
    pub fn reject_next(&self, n: usize, code: u16) {
        let mut state = self.state.lock().unwrap();
        (state.refusal_code, state.refusals_left) = (code, n);
    }

    /// Refuses every mail transaction with `code` until `accept`.
    pub fn reject_all(&self, code: u16) {
        self.reject_next(usize::MAX, code);
    }

    /// Accepts every message again.
    pub fn accept(&self) {
        self.reject_next(0, 0);
    }

    /// How many mail transactions were refused so far.
    pub fn refused(&self) -> usize {
        self.state.lock().unwrap().refused
    }

    /// Whether new connections must authenticate (AUTH PLAIN or LOGIN, any
    /// credentials, over plain SMTP) before MAIL; off by default.
    pub fn require_auth(&self, required: bool) {
        self.state.lock().unwrap().require_auth = required;
    }

    /// Every message received so far, in the order they arrived.
    pub fn messages(&self) -> Vec<Mail> {
        self.state.lock().unwrap().mails.clone()
    }

    /// Waits (at most `seconds`) until at least `n` messages arrived; returns
    /// them all, or panics saying how many did.
    pub async fn wait_for(&self, n: usize, seconds: u64) -> Vec<Mail> {
        super::eventually(
            seconds,
            || {
                let subjects: Vec<_> = self.messages().iter().map(Mail::subject).collect();
                let arrived = subjects.len();
                format!("{n} messages at the SMTP sink; {arrived} arrived: {subjects:?}")
            },
            || async {
                let mails = self.messages();
                (mails.len() >= n).then_some(mails)
            },
        )
        .await
    }
}

/// Accepts connections until told to stop (or the sink is dropped), then
/// closes the listener and every connection.
async fn serve(listener: TcpListener, state: Arc<Mutex<State>>, mut stop: oneshot::Receiver<()>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => if let Ok((stream, peer)) = accepted {
                connections.spawn(converse(stream, peer.ip(), state.clone()));
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    connections.shutdown().await;
}

/// One SMTP session: each line read (CRLF included, as mailin wants it, DATA
/// lines too) goes to the session, and its reply back.
async fn converse(stream: TcpStream, ip: IpAddr, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    let mut builder = SessionBuilder::new("smtp-sink.test");
    if state.lock().unwrap().require_auth {
        builder
            .enable_auth(AuthMechanism::Plain)
            .enable_auth(AuthMechanism::Login)
            .insecure_enable_plaintext_auth();
    }
    let recorder = Recorder {
        state,
        mail: Mail::default(),
        refusal: None,
    };
    let mut session = builder.build(ip, recorder);
    let mut stream = BufReader::new(stream);
    stream.write_all(&session.greeting().buffer()?).await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let response = session.process(&line);
        stream.write_all(&response.buffer()?).await?;
        if response.action == Action::Close {
            return stream.shutdown().await;
        }
    }
}

/// mailin's handler for one connection: builds each message and stores it.
struct Recorder {
    state: Arc<Mutex<State>>,
    mail: Mail,
    /// The code this transaction's recipients are refused with.
    refusal: Option<u16>,
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.mail.from = from.to_owned();
        let mut state = self.state.lock().unwrap();
        self.refusal = (state.refusals_left > 0).then_some(state.refusal_code);
        if self.refusal.is_some() {
            state.refusals_left -= 1;
            state.refused += 1;
        }
        OK
    }

    fn rcpt(&mut self, _to: &str) -> Response {
        match self.refusal {
            Some(code) => Response::custom(code, "refused by the test sink".to_owned()),
            None => OK,
        }
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _8bit: bool, to: &[String]) -> Response {
        self.mail.to = to.to_vec();
        self.mail.raw.clear();
        OK
    }

    fn data(&mut self, line: &[u8]) -> std::io::Result<()> {
        self.mail.raw.extend_from_slice(line);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.state.lock().unwrap().mails.push(self.mail.clone());
        OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.mail.auth = Some((user.to_owned(), password.to_owned()));
        AUTH_OK
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.auth_plain("", user, password)
    }
}
