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
    }
}
