-- A kind's notices in list order, with what their status depends on: a list
-- by status (closed grants, past webinars) walks this index and tests each
-- notice's deadline, start, end and cancellation from the index alone,
-- reading a notice's row only when it is on the page.
DROP INDEX notices_by_kind_in_order;
CREATE INDEX notices_by_kind_in_order
    ON notices (kind, state, published_at DESC, id DESC, deadline, starts_at, ends_at, cancelled);
