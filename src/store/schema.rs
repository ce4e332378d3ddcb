// The tables of migrations/*/…_create_notices, shared by every backend.

diesel::table! {
    areas (slug) {
        slug -> Text,
        name -> Text,
        description -> Nullable<Text>,
        parent_slug -> Nullable<Text>,
        linkable -> Bool,
        delegable -> Bool,
        er_roles -> Text,
        position -> Integer,
    }
}

diesel::table! {
    notices (id) {
        id -> Text,
        slug -> Text,
        kind -> Text,
        state -> Text,
        title -> Text,
        summary -> Text,
        body -> Nullable<Text>,
        source_url -> Nullable<Text>,
        published_at -> Timestamp,
        revision -> Integer,
        deadline -> Nullable<Timestamp>,
        amount_nok -> Nullable<BigInt>,
        applicants -> Nullable<Text>,
        apply_url -> Nullable<Text>,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        registration_url -> Nullable<Text>,
        cancelled -> Bool,
        cancellation_note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        change_seq -> BigInt,
        pending_go_live -> Bool,
        body_html -> Nullable<Text>,
        lapses_at -> Nullable<Timestamp>,
        lapsed -> Bool,
        language -> Text,
    }
}

diesel::table! {
    notice_areas (notice_id, area_slug) {
        notice_id -> Text,
        area_slug -> Text,
        kind -> Text,
        state -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    content_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    tokens (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    token_areas (token_id, area_slug) {
        token_id -> Text,
        area_slug -> Text,
    }
}

diesel::table! {
    notice_revisions (notice_id, revision) {
        notice_id -> Text,
        revision -> Integer,
        action -> Text,
        token_id -> Nullable<Text>,
        token_name -> Text,
        snapshot -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        action -> Text,
        token_id -> Nullable<Text>,
        token_name -> Text,
        notice_id -> Nullable<Text>,
        revision -> Nullable<Integer>,
        subject_token_id -> Nullable<Text>,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (token_id, idempotency_key) {
        token_id -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        notice_id -> Text,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        token_id -> Text,
        csrf -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        event_id -> Text,
        event_type -> Text,
        notice_id -> Text,
        revision -> Integer,
        affects -> Text,
        due_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    deliveries (id) {
        id -> BigInt,
        event_id -> Nullable<BigInt>,
        channel -> Text,
        target -> Text,
        due_at -> Timestamp,
        attempts -> Integer,
        claim -> Nullable<Text>,
        finished_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        last_error -> Nullable<Text>,
        queue -> Nullable<Text>,
        event_type -> Nullable<Text>,
        payload -> Nullable<Text>,
    }
}

diesel::table! {
    delivery_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempted_at -> Timestamp,
        status -> Nullable<Integer>,
        error -> Nullable<Text>,
        next_attempt_at -> Nullable<Timestamp>,
        duration_ms -> Nullable<Integer>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        url -> Text,
        description -> Text,
        events -> Text,
        kinds -> Text,
        areas -> Text,
        area_matches -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        email -> Text,
        email_key -> Text,
        kinds -> Text,
        areas -> Text,
        area_matches -> Text,
        language -> Text,
        frequency -> Text,
        reminders -> Bool,
        state -> Text,
        confirmation_sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
        digest_due_at -> Nullable<Timestamp>,
        digest_since -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_sent (subscription_id, kind, subject) {
        subscription_id -> Text,
        kind -> Text,
        subject -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    subscription_tokens (token_hash) {
        token_hash -> Text,
        subscription_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sources (id) {
        id -> Text,
        url -> Text,
        kind -> Text,
        areas -> Text,
        language -> Text,
        state -> Text,
        interval_minutes -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        next_fetch_at -> Timestamp,
        fetching_until -> Nullable<Timestamp>,
        etag -> Nullable<Text>,
        last_modified -> Nullable<Text>,
        last_fetched_at -> Nullable<Timestamp>,
        last_outcome -> Nullable<Text>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        failures -> Integer,
        imported -> Integer,
    }
}

diesel::table! {
    imports (source, entry_key) {
        source -> Text,
        entry_key -> Text,
        notice_id -> Text,
        revision -> Integer,
        digest -> Text,
        feed_url -> Text,
    }
}

diesel::joinable!(deliveries -> events (event_id));
diesel::joinable!(subscription_tokens -> subscriptions (subscription_id));
diesel::joinable!(mail_sent -> subscriptions (subscription_id));
diesel::joinable!(delivery_attempts -> deliveries (delivery_id));
diesel::joinable!(notice_areas -> notices (notice_id));
diesel::joinable!(token_areas -> tokens (token_id));
diesel::joinable!(notice_areas -> areas (area_slug));

diesel::allow_tables_to_appear_in_same_query!(
    sources,
    imports,
    webhooks,
    subscriptions,
    subscription_tokens,
    mail_sent,
    areas,
    notices,
    notice_areas,
    tokens,
    token_areas,
    notice_revisions,
    audit_log,
    idempotency_keys,
    sessions,
    events,
    deliveries,
    delivery_attempts,
);
