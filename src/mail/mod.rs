//! E-mail: the outbox's channel that writes to subscribers through the SMTP
//! relay — the confirmation a subscribe owes, and each notice that entered
//! an immediate subscriber's set, once its grace period is over, as it is
//! then (corrected, or not at all if it left the public set).

mod digest;
pub mod letters;
mod plain;
mod smtp;

use chrono::Duration;
use uuid::Uuid;

use crate::app::outbox::{event_of, Channel, Delivering, Failure, Sweeping};
use crate::app::outbox::{IN_FLIGHT, KEPT};
use crate::app::sessions::random_token;
use crate::app::Clock;
use crate::config::MailSettings;
use crate::domain::subscription::{reminder_due, MailLanguage, SubscriptionState};
use crate::domain::{Details, Notice, Placement};
use crate::i18n::Lang;
use crate::store::mail::{
    self, Recipient, Regarding, Sent, CANCELLED, CONFIRM, DIGEST, FANOUT, NOTICE, REMINDER,
};
use crate::store::outbox::{self, Claimed, Fanout};
use crate::store::subscriptions::{self, Purpose, LINKS_KEPT, SUSPENDED_KEPT};
use crate::store::{notices, DbConnection, Store, StoreResult};
use letters::{Footer, Letter};
use smtp::{Envelope, Refusal, Relay};

/// After an event's write: time for every instance to see it.
const SETTLE: Duration = Duration::seconds(1);
/// The deliveries this channel makes.
const CHANNELS: [&str; 6] = [CONFIRM, FANOUT, NOTICE, REMINDER, CANCELLED, DIGEST];
/// Digests scheduled (and old deliveries forgotten) at most in one sweep;
/// more wait for the next poll.
const DIGEST_BATCH: i64 = 500;

/// The e-mail channel of one instance.
pub struct Mail {
    store: Store,
    clock: Clock,
    base_url: String,
    relay: Relay,
    /// A notice's grace period before its e-mail.
    delay: Duration,
    /// When digests go out, in Europe/Oslo.
    digest_time: chrono::NaiveTime,
}

impl Mail {
    pub fn new(
        store: Store,
        clock: Clock,
        base_url: String,
        settings: &MailSettings,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            store,
            clock,
            base_url,
            relay: Relay::new(
                &settings.smtp_url,
                &settings.from,
                settings.rate,
                settings.dkim.as_ref(),
            )?,
            delay: settings.delay,
            digest_time: settings.digest_time,
        })
    }

    /// Reads or writes the store for a delivery; a failure is retried.
    async fn store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> StoreResult<T> + Send + 'static,
    ) -> Result<T, Failure> {
        self.store
            .run(work)
            .await
            .map_err(|e| Failure::retry(None, format!("the store could not be used: {e}")))
    }

    /// A new link token of `purpose` for the subscription; only its hash is kept.
    async fn link(
        &self,
        lang: Lang,
        id: Uuid,
        purpose: Purpose,
        path: &str,
    ) -> Result<String, Failure> {
        let (token, now) = (random_token(), self.clock.now());
        let minted = token.clone();
        self.store(move |conn| subscriptions::mint(conn, id, purpose, &minted, now))
            .await?;
        Ok(format!(
            "{}{}/subscriptions/{path}?token={token}",
            self.base_url,
            lang.prefix()
        ))
    }

    async fn confirmation(&self, claimed: &Claimed) -> Result<Option<i32>, Failure> {
        let Some(recipient) = self.recipient(claimed).await? else {
            return Ok(None);
        };
        if recipient.state != SubscriptionState::Pending {
            return Ok(None); // confirmed meanwhile, or suspended
        }
        let lang = lang(recipient.language);
        let url = self
            .link(lang, recipient.id, Purpose::Confirm, "confirm")
            .await?;
        let letter = letters::confirmation(lang, &url);
        self.send(claimed, &recipient, letter, None).await
    }

    /// A message about one notice — it entered the subscriber's set, its
    /// reminder is due, or the webinar they were reminded of is cancelled —
    /// if it is still true when due: the notice public and in their set,
    /// not sent before, the reminder's time still now.
    async fn about_notice(&self, claimed: &Claimed, kind: Sent) -> Result<Option<i32>, Failure> {
        // A reminder owed when a subscription began has no event; it says
        // which notice it is about.
        let regarding = claimed
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Regarding>(p).ok());
        let notice_id = match (&claimed.event, regarding) {
            (Some(event), _) => event.notice_id,
            (None, Some(regarding)) => regarding.notice,
            (None, None) => event_of(claimed)?.notice_id,
        };
        let Some(recipient) = self.recipient(claimed).await? else {
            return Ok(None);
        };
        if recipient.state != SubscriptionState::Confirmed {
            return Ok(None);
        }
        let subscriber = recipient.id;
        let (notice, sent, reminded) = self
            .store(move |conn| {
                let subject = notice_id.to_string();
                Ok((
                    notices::find(conn, &subject)?,
                    mail::was_sent(conn, subscriber, kind, &subject)?,
                    mail::was_sent(conn, subscriber, Sent::Reminder, &subject)?,
                ))
            })
            .await?;
        let now = self.clock.now();
        let Some(notice) =
            notice.filter(|n| n.is_public(now) && recipient.filter.takes(&Placement::of(n)))
        else {
            return Ok(None); // withdrawn, or moved out of their set, meanwhile
        };
        let still = match kind {
            Sent::Notice => true,
            Sent::Reminder => {
                recipient.reminders && reminder_due(&notice, now).is_some_and(|due| due <= now)
            }
            Sent::Cancelled => {
                reminded && matches!(&notice.details, Details::Webinar(w) if w.cancelled)
            }
            Sent::Digest => false,
        };
        if sent || !still {
            return Ok(None);
        }
        let (lang, footer) = self.footer(&recipient).await?;
        let url = self.notice_url(lang, &notice);
        let letter = match kind {
            Sent::Reminder => letters::reminder(lang, &notice, &url, &footer),
            Sent::Cancelled => letters::cancelled(lang, &notice, &url, &footer),
            Sent::Notice | Sent::Digest => letters::notice(lang, &notice, &url, &footer),
        };
        self.send_noted(
            claimed,
            &recipient,
            letter,
            footer,
            kind,
            notice_id.to_string(),
        )
        .await
    }

    /// The links every message after the confirmation ends with.
    async fn footer(&self, recipient: &Recipient) -> Result<(Lang, Footer), Failure> {
        let lang = lang(recipient.language);
        let footer = Footer {
            manage_url: self
                .link(lang, recipient.id, Purpose::Manage, "manage")
                .await?,
            unsubscribe_url: self
                .link(lang, recipient.id, Purpose::Unsubscribe, "unsubscribe")
                .await?,
        };
        Ok((lang, footer))
    }

    fn notice_url(&self, lang: Lang, notice: &Notice) -> String {
        format!("{}{}/notices/{}", self.base_url, lang.prefix(), notice.slug)
    }

    /// Sends a message with one-click unsubscribe and notes it as sent.
    async fn send_noted(
        &self,
        claimed: &Claimed,
        recipient: &Recipient,
        letter: Letter,
        footer: Footer,
        kind: Sent,
        subject: String,
    ) -> Result<Option<i32>, Failure> {
        let unsubscribe = Some(footer.unsubscribe_url);
        let status = self.send(claimed, recipient, letter, unsubscribe).await?;
        // Sent: a failure to note it must not send it again.
        let (id, now) = (recipient.id, self.clock.now());
        let noted = self
            .store(move |conn| mail::mark_sent(conn, id, kind, &subject, now))
            .await;
        if let Err(failure) = noted {
            tracing::error!(error = %failure.error, "a sent e-mail could not be noted as sent");
        }
        Ok(status)
    }

    async fn recipient(&self, claimed: &Claimed) -> Result<Option<Recipient>, Failure> {
        // Targets are ids this channel wrote; anything else has no one to go to.
        let Ok(id) = Uuid::try_parse(&claimed.target) else {
            return Ok(None);
        };
        self.store(move |conn| mail::recipient(conn, id)).await
    }

    async fn send(
        &self,
        claimed: &Claimed,
        recipient: &Recipient,
        letter: Letter,
        unsubscribe_url: Option<String>,
    ) -> Result<Option<i32>, Failure> {
        let envelope = Envelope {
            to: &recipient.email,
            letter,
            message_id: format!(
                "<{}.{}.{}@{}>",
                claimed.channel,
                claimed.id,
                recipient.id,
                self.relay.domain()
            ),
            unsubscribe_url,
            date: self.clock.now(),
        };
        match self.relay.send(envelope).await {
            Ok(code) => Ok(Some(code)),
            Err(Refusal::Later { code, reply }) => Err(Failure::retry(code, scrub(&reply))),
            Err(Refusal::Unsendable(why)) => Err(Failure {
                status: None,
                error: scrub(&why),
                give_up: true,
            }),
            Err(Refusal::Address { code, reply }) => {
                let (id, now) = (recipient.id, self.clock.now());
                self.store(move |conn| mail::suspend(conn, id, now)).await?;
                Err(Failure {
                    status: code,
                    error: format!(
                        "the relay refused the address; the subscription is suspended: {}",
                        scrub(&reply)
                    ),
                    give_up: true,
                })
            }
        }
    }
}

fn lang(language: MailLanguage) -> Lang {
    match language {
        MailLanguage::Nb => Lang::Nb,
        MailLanguage::Nn => Lang::Nn,
    }
}

/// A relay's reply without the addresses it may quote: addresses never
/// reach the logs or the delivery records.
fn scrub(reply: &str) -> String {
    reply
        .split(' ')
        .map(|word| match word.contains('@') {
            true => "[address]",
            false => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The delivery each event makes, spread over the subscribers it concerns.
pub fn fanout() -> Fanout {
    Fanout {
        channel: FANOUT.to_owned(),
        target: String::new(),
        delay: SETTLE,
    }
}

impl Channel for Mail {
    fn names(&self) -> &'static [&'static str] {
        &CHANNELS
    }

    fn fanout(&self) -> Vec<Fanout> {
        vec![fanout()]
    }

    fn handles(&self, channel: &str, _target: &str) -> bool {
        self.names().contains(&channel)
    }

    fn settles_itself(&self, claimed: &Claimed) -> bool {
        claimed.channel == FANOUT
    }

    /// Half the worker's deliveries at most: e-mail waits its turn at the
    /// relay's pace, and go-lives, webhooks and hubs must not wait behind it.
    fn most_at_once(&self) -> usize {
        IN_FLIGHT / 2
    }

    /// Digests whose time has come are owed, a batch a poll; finished
    /// deliveries older than `KEPT`, link tokens older than `LINKS_KEPT` and
    /// subscriptions suspended for `SUSPENDED_KEPT` (with their addresses)
    /// are forgotten.
    fn sweep(&self) -> Sweeping<'_> {
        Box::pin(async move {
            let (now, time) = (self.clock.now(), self.digest_time);
            let swept = self
                .store
                .run(move |conn| {
                    mail::schedule_digests(conn, now, time, DIGEST_BATCH)?;
                    for channel in CHANNELS {
                        outbox::prune(conn, channel, now - KEPT, DIGEST_BATCH)?;
                    }
                    subscriptions::forget_old_tokens(conn, now - LINKS_KEPT, DIGEST_BATCH)?;
                    subscriptions::forget_suspended(conn, now - SUSPENDED_KEPT, DIGEST_BATCH)
                })
                .await;
            if let Err(e) = swept {
                tracing::warn!(error = %e, "digests could not be scheduled or old mail forgotten; trying again");
            }
        })
    }

    fn deliver<'a>(&'a self, claimed: &'a Claimed) -> Delivering<'a> {
        Box::pin(async move {
            match claimed.channel.as_str() {
                CONFIRM => self.confirmation(claimed).await,
                NOTICE => self.about_notice(claimed, Sent::Notice).await,
                REMINDER => self.about_notice(claimed, Sent::Reminder).await,
                CANCELLED => self.about_notice(claimed, Sent::Cancelled).await,
                DIGEST => self.digest(claimed).await,
                _ => {
                    let (held, delay, now) = (claimed.clone(), self.delay, self.clock.now());
                    self.store(move |conn| mail::expand(conn, &held, delay, now))
                        .await?;
                    Ok(None)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_lose_their_addresses() {
        assert_eq!(
            scrub("550 5.1.1 <kari@example.org>: Recipient address rejected"),
            "550 5.1.1 [address] Recipient address rejected"
        );
    }
}
