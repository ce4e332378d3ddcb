//! The e-mail settings: the relay, the sender, the grace period, the
//! digests' hour, the pace, the subscribe limit and the DKIM key.

use url::Url;

use super::{invalid, ConfigError};

/// E-mail subscriptions: off unless an SMTP relay is given.
#[derive(Debug, Clone, clap::Args)]
pub struct MailArgs {
    /// The SMTP relay: `smtp://host:port` (STARTTLS when offered, or
    /// required with `?tls=required`, which a password needs),
    /// `smtps://user:pass@host:465` (implicit TLS). Unset: no e-mail, and
    /// the subscription API says so.
    #[arg(long, env = "TAVLA_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of every e-mail, `Name <address>` or an address.
    #[arg(long, env = "TAVLA_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Seconds between a notice entering the public set and its e-mail: a
    /// correction within them is sent corrected, a withdrawal sends nothing.
    #[arg(long, env = "TAVLA_MAIL_DELAY", default_value_t = 120, value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub mail_delay: u64,
    /// When daily and weekly (Mondays) digests go out, `HH:MM` in Europe/Oslo.
    #[arg(long, env = "TAVLA_DIGEST_TIME", default_value = "07:00")]
    pub digest_time: String,
    /// Most e-mails handed to the relay per second, per instance.
    #[arg(long, env = "TAVLA_MAIL_RATE", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub mail_rate: u32,
    /// Most subscribe requests one client may make a minute (an office
    /// behind one address makes many).
    #[arg(long, env = "TAVLA_SUBSCRIBE_LIMIT", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub subscribe_limit: u32,
    /// A file with the private key e-mails are DKIM-signed with, for the
    /// domain of `TAVLA_MAIL_FROM`: RSA in PKCS#1 PEM (`-----BEGIN RSA
    /// PRIVATE KEY-----`), or an Ed25519 key as the base64 of its 32 bytes.
    /// Unset: Tavla does not sign (the relay may).
    #[arg(long, env = "TAVLA_DKIM_KEY")]
    pub dkim_key: Option<std::path::PathBuf>,
    /// The DKIM selector the key's public half is published under
    /// (`SELECTOR._domainkey.DOMAIN`).
    #[arg(long, env = "TAVLA_DKIM_SELECTOR")]
    pub dkim_selector: Option<String>,
}

/// DKIM signing: the key, and where its public half is.
#[derive(Clone)]
pub struct Dkim {
    pub selector: String,
    pub domain: String,
    /// The key file's text: never logged.
    pub key: String,
    pub algorithm: DkimAlgorithm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DkimAlgorithm {
    Rsa,
    Ed25519,
}

/// How e-mail is sent, when it is.
#[derive(Clone)]
pub struct MailSettings {
    /// Holds the relay's password, if any: never logged.
    pub smtp_url: String,
    pub from: String,
    pub delay: chrono::Duration,
    pub digest_time: chrono::NaiveTime,
    pub rate: u32,
    pub subscribe_limit: u32,
    pub dkim: Option<Dkim>,
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("from", &self.from)
            .field("delay", &self.delay)
            .field("digest_time", &self.digest_time)
            .field("rate", &self.rate)
            .field("subscribe_limit", &self.subscribe_limit)
            .field(
                "dkim",
                &self.dkim.as_ref().map(|d| (&d.selector, &d.domain)),
            )
            .finish_non_exhaustive()
    }
}

impl MailArgs {
    /// `None` without a relay; a relay needs a sender.
    pub fn settings(&self) -> Result<Option<MailSettings>, ConfigError> {
        let Some(smtp_url) = self.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let url = Url::parse(smtp_url.trim()).map_err(|_| {
            invalid(
                "TAVLA_SMTP_URL",
                "is not a URL (smtp://host:port or smtps://…)",
            )
        })?;
        if !matches!(url.scheme(), "smtp" | "smtps") {
            return Err(invalid(
                "TAVLA_SMTP_URL",
                "must start with smtp:// or smtps://",
            ));
        }
        let tls = url
            .query_pairs()
            .find(|(name, _)| name == "tls")
            .map(|(_, value)| value.into_owned());
        if !matches!(tls.as_deref(), None | Some("required" | "opportunistic")) {
            return Err(invalid(
                "TAVLA_SMTP_URL",
                "tls is `required` or `opportunistic`",
            ));
        }
        // STARTTLS when the relay offers it; a password only over TLS.
        let mut url = url;
        if url.scheme() == "smtp" && tls.is_none() {
            url.query_pairs_mut().append_pair("tls", "opportunistic");
        }
        if url.scheme() == "smtp"
            && !url.username().is_empty()
            && tls.as_deref() != Some("required")
        {
            return Err(invalid(
                "TAVLA_SMTP_URL",
                "sends a password: use smtps:// or add ?tls=required, so that it never crosses the network in the clear",
            ));
        }
        let from = self
            .mail_from
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or_else(|| invalid("TAVLA_MAIL_FROM", "is needed with TAVLA_SMTP_URL"))?;
        let mailbox = from.parse::<lettre::message::Mailbox>().map_err(|e| {
            invalid(
                "TAVLA_MAIL_FROM",
                format!("{from:?} is not an address or `Name <address>` ({e})"),
            )
        })?;
        let dkim = self.dkim(mailbox.email.domain())?;
        let digest_time = chrono::NaiveTime::parse_from_str(self.digest_time.trim(), "%H:%M")
            .map_err(|_| {
                invalid(
                    "TAVLA_DIGEST_TIME",
                    format!("{:?} is not HH:MM", self.digest_time),
                )
            })?;
        Ok(Some(MailSettings {
            smtp_url: url.to_string(),
            from: from.to_owned(),
            delay: chrono::Duration::seconds(self.mail_delay as i64),
            digest_time,
            rate: self.mail_rate,
            subscribe_limit: self.subscribe_limit,
            dkim,
        }))
    }

    /// The DKIM key, read and checked, when one is given.
    fn dkim(&self, domain: &str) -> Result<Option<Dkim>, ConfigError> {
        let Some(path) = &self.dkim_key else {
            return Ok(None);
        };
        let selector = self
            .dkim_selector
            .as_deref()
            .map(str::trim)
            .filter(|s| {
                !s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            })
            .ok_or_else(|| {
                invalid(
                    "TAVLA_DKIM_SELECTOR",
                    "is needed with TAVLA_DKIM_KEY: letters, digits, hyphens and dots",
                )
            })?;
        let key = std::fs::read_to_string(path)
            .map_err(|e| invalid("TAVLA_DKIM_KEY", format!("cannot be read: {e}")))?;
        let algorithm = match key.contains("-----BEGIN RSA PRIVATE KEY-----") {
            true => DkimAlgorithm::Rsa,
            false => DkimAlgorithm::Ed25519,
        };
        let key = match algorithm {
            DkimAlgorithm::Rsa => key,
            DkimAlgorithm::Ed25519 => key.trim().to_owned(),
        };
        let kind = match algorithm {
            DkimAlgorithm::Rsa => lettre::message::dkim::DkimSigningAlgorithm::Rsa,
            DkimAlgorithm::Ed25519 => lettre::message::dkim::DkimSigningAlgorithm::Ed25519,
        };
        lettre::message::dkim::DkimSigningKey::new(&key, kind).map_err(|_| {
            invalid(
                "TAVLA_DKIM_KEY",
                "is neither an RSA key in PKCS#1 PEM (-----BEGIN RSA PRIVATE KEY-----; \
                 openssl rsa -traditional converts one) nor an Ed25519 key in base64",
            )
        })?;
        Ok(Some(Dkim {
            selector: selector.to_owned(),
            domain: domain.to_owned(),
            key,
            algorithm,
        }))
    }
}
