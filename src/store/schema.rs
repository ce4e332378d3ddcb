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
    }
}

diesel::table! {
    notice_areas (notice_id, area_slug) {
        notice_id -> Text,
        area_slug -> Text,
    }
}

diesel::table! {
    content_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::joinable!(notice_areas -> notices (notice_id));
diesel::joinable!(notice_areas -> areas (area_slug));

diesel::allow_tables_to_appear_in_same_query!(areas, notices, notice_areas);
