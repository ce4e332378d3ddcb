//! What an editor (or the command line) did, as the audit trail and the
//! revisions record it.

crate::named_enum! {
    /// One kind of recorded write.
    Action {
        NoticeCreate => "notice.create",
        NoticeUpdate => "notice.update",
        NoticeWithdraw => "notice.withdraw",
        TokenCreate => "token.create",
        TokenRevoke => "token.revoke",
        WebhookCreate => "webhook.create",
        WebhookUpdate => "webhook.update",
        WebhookDelete => "webhook.delete",
        WebhookRotate => "webhook.rotate",
        WebhookDisable => "webhook.disable",
        WebhookRedeliver => "webhook.redeliver",
        SourceCreate => "source.create",
        SourceUpdate => "source.update",
        SourceDelete => "source.delete",
    }
}
