//! A digest: what entered a daily or weekly subscriber's set in its
//! period, in one message.

use super::{letters, Mail};
use crate::app::outbox::Failure;
use crate::domain::subscription::SubscriptionState;
use crate::domain::{Notice, Placement};
use crate::store::mail::{self, Period, Sent};
use crate::store::notices;
use crate::store::outbox::Claimed;

/// Notices one digest lists at most (the newest); the rest are on the site.
const DIGEST_MOST: usize = 100;

impl Mail {
    /// What entered a daily or weekly subscriber's set in the digest's
    /// period and is still public and theirs; nothing when nothing did.
    pub(super) async fn digest(&self, claimed: &Claimed) -> Result<Option<i32>, Failure> {
        let Some(recipient) = self.recipient(claimed).await? else {
            return Ok(None);
        };
        // A digest owed is sent even to a subscriber who has since switched
        // to immediate e-mails: it lists what came before the switch.
        if recipient.state != SubscriptionState::Confirmed {
            return Ok(None);
        }
        let period: Period = claimed
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| Failure {
                status: None,
                error: format!("digest {} has no period", claimed.id),
                give_up: true,
            })?;
        let subject = period.until.to_rfc3339();
        let (found, for_whom) = (subject.clone(), recipient.clone());
        let (notices, sent) = self
            .store(move |conn| {
                let sent = mail::was_sent(conn, for_whom.id, Sent::Digest, &found)?;
                let mut listed = Vec::new();
                let entered = mail::entered(conn, &for_whom, period)?;
                let newest = entered.len().saturating_sub(DIGEST_MOST);
                for id in &entered[newest..] {
                    listed.extend(notices::find(conn, &id.to_string())?);
                }
                Ok((listed, sent))
            })
            .await?;
        let now = self.clock.now();
        let listed: Vec<Notice> = notices
            .into_iter()
            .rev()
            .filter(|n| n.is_public(now) && recipient.filter.takes(&Placement::of(n)))
            .take(DIGEST_MOST)
            .collect();
        if sent || listed.is_empty() {
            return Ok(None);
        }
        let (lang, footer) = self.footer(&recipient).await?;
        let listed: Vec<(Notice, String)> = listed
            .into_iter()
            .map(|n| {
                let url = self.notice_url(lang, &n);
                (n, url)
            })
            .collect();
        let letter = letters::digest(lang, recipient.frequency, &listed, &footer);
        self.send_noted(claimed, &recipient, letter, footer, Sent::Digest, subject)
            .await
    }
}
