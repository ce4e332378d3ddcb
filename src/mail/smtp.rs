//! Handing messages to the SMTP relay (`TAVLA_SMTP_URL`) with lettre, at a
//! bounded rate, and telling a refused address from a relay that is away.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::letters::Letter;
use crate::config::{Dkim, DkimAlgorithm};

/// How long one exchange with the relay may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What the relay made of a message.
#[derive(Debug)]
pub enum Refusal {
    /// It refused the address for good: a 550, 551 or 553 whose enhanced
    /// status, if it gives one, is about the mailbox (5.1.x, 5.2.x).
    Address { code: Option<i32>, reply: String },
    /// It could not be reached, asked to try later (4xx), or refused for a
    /// reason of its own (authentication, the sender, the content): tried
    /// again, and never held against the subscriber.
    Later { code: Option<i32>, reply: String },
    /// This message cannot be sent at all (no retry will make it).
    Unsendable(String),
}

/// Whether a permanent reply refuses the recipient's address rather than
/// the relay's own terms.
fn refuses_address(code: Option<i32>, reply: &str) -> bool {
    let enhanced = reply.split_whitespace().find(|word| {
        let parts: Vec<&str> = word.split('.').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    });
    matches!(code, Some(550 | 551 | 553))
        && enhanced.is_none_or(|e| e.starts_with("5.1.") || e.starts_with("5.2."))
}

/// One message for one address.
pub struct Envelope<'a> {
    pub to: &'a str,
    pub letter: Letter,
    /// Stable across retries of one delivery, so that a message handed over
    /// twice (a crash between the relay's yes and its record) is one to
    /// the reader's mail program.
    pub message_id: String,
    /// For RFC 8058 one-click unsubscribe: the URL a POST unsubscribes at.
    pub unsubscribe_url: Option<String>,
    pub date: DateTime<Utc>,
}

/// The headers a DKIM signature covers: RFC 8058 asks for the two of
/// one-click unsubscribe among them. (The top `Content-Type` is written
/// after signing, with the body; the body hash covers the parts.)
const SIGNED: [&str; 8] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// The relay, and the pace messages are handed to it at.
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    dkim: Option<DkimConfig>,
    /// The earliest instant the next message may go.
    next: Mutex<Instant>,
    gap: Duration,
}

impl Relay {
    /// A relay from its URL (checked by the settings) and the sender; each
    /// message signed with the DKIM key, when there is one.
    pub fn new(url: &str, from: &str, rate: u32, dkim: Option<&Dkim>) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("TAVLA_SMTP_URL cannot be used: {e}"))?
            .timeout(Some(TIMEOUT))
            .build();
        let dkim = dkim
            .map(|dkim| -> anyhow::Result<DkimConfig> {
                let algorithm = match dkim.algorithm {
                    DkimAlgorithm::Rsa => DkimSigningAlgorithm::Rsa,
                    DkimAlgorithm::Ed25519 => DkimSigningAlgorithm::Ed25519,
                };
                let key = DkimSigningKey::new(&dkim.key, algorithm)
                    .map_err(|_| anyhow::anyhow!("TAVLA_DKIM_KEY cannot be used"))?;
                Ok(DkimConfig::new(
                    dkim.selector.clone(),
                    dkim.domain.clone(),
                    key,
                    SIGNED
                        .iter()
                        .map(|h| HeaderName::new_from_ascii_str(h))
                        .collect(),
                    DkimCanonicalization {
                        header: DkimCanonicalizationType::Relaxed,
                        body: DkimCanonicalizationType::Relaxed,
                    },
                ))
            })
            .transpose()?;
        Ok(Self {
            transport,
            dkim,
            from: from.parse()?,
            next: Mutex::new(Instant::now()),
            gap: Duration::from_secs(1) / rate.max(1),
        })
    }

    /// The domain of the sender's address, for message ids.
    pub fn domain(&self) -> String {
        self.from.email.domain().to_owned()
    }

    /// Waits for this message's turn, so that a long list does not trip the
    /// relay's limits.
    async fn turn(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + self.gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// Hands one message to the relay; the relay's reply code on success.
    pub async fn send(&self, envelope: Envelope<'_>) -> Result<i32, Refusal> {
        let to: Mailbox = envelope
            .to
            .parse()
            .map_err(|e| Refusal::Unsendable(format!("not an address: {e}")))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(envelope.letter.subject)
            .message_id(Some(envelope.message_id))
            .date(SystemTime::from(envelope.date));
        if let Some(url) = envelope.unsubscribe_url {
            builder = builder
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost);
        }
        let mut message = builder
            .multipart(MultiPart::alternative_plain_html(
                envelope.letter.text,
                envelope.letter.html,
            ))
            .map_err(|e| Refusal::Unsendable(format!("the message cannot be made: {e}")))?;
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        self.turn().await;
        match self.transport.send(message).await {
            Ok(response) => Ok(code_of(Some(response.code()))),
            Err(e) => {
                let code = e.status().map(|c| code_of(Some(c)));
                let reply = e.to_string();
                match e.is_permanent() && refuses_address(code, &reply) {
                    true => Err(Refusal::Address { code, reply }),
                    false => Err(Refusal::Later { code, reply }),
                }
            }
        }
    }
}

fn code_of(code: Option<lettre::transport::smtp::response::Code>) -> i32 {
    code.and_then(|c| c.to_string().parse().ok()).unwrap_or(0)
}

/// `List-Unsubscribe` (RFC 2369): where the reader's mail program unsubscribes.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a POST
/// to that URL unsubscribes at once, with no page to follow.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::refuses_address;

    #[test]
    fn only_a_refused_mailbox_counts_against_the_address() {
        assert!(refuses_address(
            Some(550),
            "permanent error (550): 5.1.1 <x> unknown user"
        ));
        assert!(refuses_address(
            Some(550),
            "permanent error (550): no such user"
        ));
        assert!(refuses_address(Some(553), "5.1.3 bad address syntax"));
        assert!(
            !refuses_address(Some(550), "5.7.1 sender rejected"),
            "the sender"
        );
        assert!(
            !refuses_address(Some(535), "5.7.8 authentication failed"),
            "the relay's login"
        );
        assert!(
            !refuses_address(Some(554), "5.6.0 message refused"),
            "the content"
        );
        assert!(!refuses_address(Some(530), "must issue STARTTLS first"));
    }
}
