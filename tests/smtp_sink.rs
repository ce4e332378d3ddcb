//! The test SMTP server (tests/common/smtp.rs) against a real client, lettre:
//! what is sent arrives whole, over one connection or several at once, and
//! the sink can be down, refuse for a while or for good, and want AUTH.

mod common;

use std::time::Duration;

use common::smtp::SmtpSink;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::io::AsyncReadExt;

type Mailer = AsyncSmtpTransport<Tokio1Executor>;

fn mailer(url: &str) -> Mailer {
    Mailer::from_url(url)
        .unwrap()
        .timeout(Some(Duration::from_secs(10)))
        .build()
}

/// A plain message to `to` with `subject`.
fn simple(to: &str, subject: &str) -> Message {
    Message::builder()
        .from("Tavla <varsel@tavla.test>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject(subject)
        .body(format!("Brødtekst for {subject}\n"))
        .unwrap()
}

/// Sends `message` through `url`.
async fn send(url: &str, message: Message) -> Result<(), lettre::transport::smtp::Error> {
    mailer(url).send(message).await.map(|_| ())
}

fn is_refused(error: &lettre::transport::smtp::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::ConnectionRefused;
        }
        source = cause.source();
    }
    false
}

#[tokio::test]
async fn a_multipart_message_round_trips_headers_parts_and_envelope() {
    let sink = SmtpSink::start().await;
    assert_eq!(sink.url(), format!("smtp://127.0.0.1:{}", sink.port()));
    // Sent 8bit, so its lines go out as they are: the ones starting with a
    // dot are dot-stuffed by lettre and must be unstuffed by the sink.
    let text = "Hei Åse!\r\n\r\nFristen for «Søknad om tilskudd» – 1. mars – er nær.\r\n\
                .\r\n..to punktum\r\n.ett punktum\r\nMvh\r\nTavla\r\n";
    let html = "<p>Hei Åse!</p>\r\n<p>Fristen for «Søknad om tilskudd» – 1. mars – er nær.</p>\r\n";
    let plain = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(Body::new_with_encoding(text.to_owned(), ContentTransferEncoding::EightBit).unwrap());
    let message = Message::builder()
        .from(
            "Tavla – Helsedirektoratet <varsel@tavla.test>"
                .parse()
                .unwrap(),
        )
        .to("Åse Øvrebø <ase@example.no>".parse().unwrap())
        .bcc("arkiv@example.no".parse::<Mailbox>().unwrap())
        .subject("Påminnelse: «Søknad om tilskudd» – frist nær")
        .message_id(Some("<paaminnelse-1@tavla.test>".to_owned()))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            "<https://tavla.test/avmeld/abc>".to_owned(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Tavla-Omrade"),
            "Helsetjenester – æøå".to_owned(),
        ))
        .multipart(
            MultiPart::alternative()
                .singlepart(plain)
                .singlepart(SinglePart::html(html.to_owned())),
        )
        .unwrap();
    let sent = message.formatted();
    send(&sink.url(), message).await.expect("the sink accepts");

    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    // lettre ends DATA with CRLF.CRLF after a message that ends in CRLF
    // already: the message data gets one empty line more (RFC 5321 4.1.1.4).
    let expected = String::from_utf8([sent.as_slice(), b"\r\n"].concat()).unwrap();
    let raw = String::from_utf8(mail.raw.clone()).unwrap();
    assert_eq!(raw, expected, "the bytes arrive as formatted, unstuffed");
    assert_eq!(mail.from, "varsel@tavla.test");
    assert_eq!(mail.to, ["ase@example.no", "arkiv@example.no"]);
    assert_eq!(mail.auth, None);
    assert_eq!(
        mail.subject().as_deref(),
        Some("Påminnelse: «Søknad om tilskudd» – frist nær")
    );
    assert_eq!(
        mail.message_id().as_deref(),
        Some("paaminnelse-1@tavla.test")
    );
    assert_eq!(
        mail.header("list-unsubscribe-post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(
        mail.header("List-Unsubscribe").as_deref(),
        Some("<https://tavla.test/avmeld/abc>")
    );
    assert_eq!(
        mail.header("X-Tavla-Omrade").as_deref(),
        Some("Helsetjenester – æøå")
    );
    assert!(mail
        .header("From")
        .unwrap()
        .contains("Tavla – Helsedirektoratet"));
    assert!(mail.header("Bcc").is_none(), "Bcc is envelope only");
    assert!(mail.header("X-Absent").is_none());
    assert!(mail.is_multipart_alternative());
    assert_eq!(mail.text().as_deref(), Some(text));
    assert_eq!(mail.html().as_deref(), Some(html));
}

#[tokio::test]
async fn single_parts_answer_only_for_their_own_type() {
    let sink = SmtpSink::start().await;
    send(&sink.url(), simple("en@example.no", "Bare tekst"))
        .await
        .unwrap();
    let html = Message::builder()
        .from("varsel@tavla.test".parse().unwrap())
        .to("to@example.no".parse().unwrap())
        .subject("Bare HTML")
        .singlepart(SinglePart::html("<p>Hei – på deg</p>".to_owned()))
        .unwrap();
    send(&sink.url(), html).await.unwrap();
    let mails = sink.wait_for(2, 5).await;
    assert!(!mails[0].is_multipart_alternative());
    assert_eq!(
        mails[0].text().as_deref(),
        Some("Brødtekst for Bare tekst\r\n\r\n"),
        "the body, and the empty line lettre adds before the final dot"
    );
    assert_eq!(mails[0].html(), None);
    assert_eq!(
        mails[1].html().as_deref(),
        Some("<p>Hei – på deg</p>\r\n\r\n")
    );
    assert_eq!(mails[1].text(), None);
}

#[tokio::test]
async fn several_messages_on_one_connection_and_connections_at_once() {
    let sink = SmtpSink::start().await;
    // Two transactions on one connection: the second's envelope is its own.
    let mut connection = AsyncSmtpConnection::connect_tokio1(
        ("127.0.0.1", sink.port()),
        Some(Duration::from_secs(10)),
        &ClientId::default(),
        None,
        None,
    )
    .await
    .unwrap();
    for (to, subject) in [("a@example.no", "Første"), ("b@example.no", "Andre")] {
        let message = simple(to, subject);
        connection
            .send(message.envelope(), &message.formatted())
            .await
            .unwrap();
    }
    connection.quit().await.unwrap();

    let mut sends = tokio::task::JoinSet::new();
    for i in 0..6 {
        let url = sink.url();
        sends.spawn(
            async move { send(&url, simple("c@example.no", &format!("Samtidig {i}"))).await },
        );
    }
    while let Some(sent) = sends.join_next().await {
        sent.unwrap().expect("each concurrent send is accepted");
    }

    let mails = sink.wait_for(8, 5).await;
    assert_eq!(mails.len(), 8);
    assert_eq!(mails[0].to, ["a@example.no"]);
    assert_eq!(mails[0].subject().as_deref(), Some("Første"));
    assert_eq!(mails[1].to, ["b@example.no"]);
    assert_eq!(mails[1].subject().as_deref(), Some("Andre"));
    let mut concurrent: Vec<_> = mails[2..].iter().map(|m| m.subject().unwrap()).collect();
    concurrent.sort();
    let expected: Vec<_> = (0..6).map(|i| format!("Samtidig {i}")).collect();
    assert_eq!(concurrent, expected);
}

#[tokio::test]
async fn a_stopped_sink_refuses_connections_and_starts_again_on_its_port() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    send(&url, simple("a@example.no", "Før")).await.unwrap();

    // An idle open connection is closed by the stop.
    let mut idle = tokio::net::TcpStream::connect(("127.0.0.1", sink.port()))
        .await
        .unwrap();
    let mut greeting = [0; 64];
    let n = idle.read(&mut greeting).await.unwrap();
    assert!(greeting[..n].starts_with(b"220 "));
    sink.stop().await;
    let closed = tokio::time::timeout(Duration::from_secs(5), idle.read(&mut greeting))
        .await
        .expect("the stop closes open connections");
    assert!(matches!(closed, Ok(0) | Err(_)), "{closed:?}");

    let error = send(&url, simple("a@example.no", "Mens nede"))
        .await
        .expect_err("nothing listens");
    assert!(is_refused(&error), "{error:?}");
    assert!(!error.is_transient() && !error.is_permanent());
    assert_eq!(sink.messages().len(), 1, "what came before stays readable");

    let again = SmtpSink::start_on(sink.port()).await;
    assert_eq!(again.url(), url);
    send(&url, simple("a@example.no", "Etter")).await.unwrap();
    let mails = again.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject().as_deref(), Some("Etter"));
}

#[tokio::test]
async fn a_temporary_refusal_is_transient_and_passes() {
    let sink = SmtpSink::start().await;
    sink.reject_next(2, 451);
    for _ in 0..2 {
        let error = send(&sink.url(), simple("a@example.no", "Prøver"))
            .await
            .expect_err("refused for now");
        assert!(error.is_transient(), "{error:?}");
        assert_eq!(
            error.status().map(|code| code.to_string()).as_deref(),
            Some("451")
        );
    }
    send(&sink.url(), simple("a@example.no", "Prøver"))
        .await
        .unwrap();
    assert_eq!(sink.refused(), 2);
    assert_eq!(sink.messages().len(), 1);
}

#[tokio::test]
async fn a_permanent_refusal_lasts_until_accept() {
    let sink = SmtpSink::start().await;
    sink.reject_all(550);
    for _ in 0..3 {
        let error = send(&sink.url(), simple("ukjent@example.no", "Avvist"))
            .await
            .expect_err("refused");
        assert!(error.is_permanent(), "{error:?}");
        assert_eq!(
            error.status().map(|code| code.to_string()).as_deref(),
            Some("550")
        );
    }
    assert!(sink.messages().is_empty());
    sink.accept();
    send(&sink.url(), simple("kjent@example.no", "Godtatt"))
        .await
        .unwrap();
    assert_eq!(sink.refused(), 3);
    assert_eq!(sink.messages()[0].to, ["kjent@example.no"]);
}

#[tokio::test]
async fn auth_when_required_records_the_credentials() {
    let sink = SmtpSink::start().await;
    sink.require_auth(true);
    let error = send(&sink.url(), simple("a@example.no", "Uten innlogging"))
        .await
        .expect_err("MAIL before AUTH is refused");
    assert!(error.is_permanent(), "{error:?}");
    let with_credentials = format!("smtp://tavla:hemmelig%20ord@127.0.0.1:{}", sink.port());
    send(&with_credentials, simple("a@example.no", "Innlogget"))
        .await
        .unwrap();
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].auth,
        Some(("tavla".to_owned(), "hemmelig ord".to_owned()))
    );
}

#[tokio::test]
#[should_panic(expected = "2 messages at the SMTP sink; 1 arrived")]
async fn waiting_for_more_than_arrived_names_what_did() {
    let sink = SmtpSink::start().await;
    send(&sink.url(), simple("a@example.no", "Bare én"))
        .await
        .unwrap();
    sink.wait_for(2, 1).await;
}
