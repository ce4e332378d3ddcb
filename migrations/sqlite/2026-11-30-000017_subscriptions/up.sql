-- E-mail subscriptions. An address is kept only while its subscription
-- lives: deleted on unsubscribe, and unconfirmed ones after 48 hours.
CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    -- SHA-256 of the address, lowercased: a subscription is found by its
    -- address without reading addresses.
    email_key TEXT NOT NULL UNIQUE,
    -- JSON arrays; empty means every kind or area.
    kinds TEXT NOT NULL,
    areas TEXT NOT NULL,
    area_matches TEXT NOT NULL,
    -- nb or nn.
    language TEXT NOT NULL,
    -- immediate, daily or weekly.
    frequency TEXT NOT NULL,
    reminders BOOLEAN NOT NULL,
    -- pending, confirmed or suspended.
    state TEXT NOT NULL,
    -- The last confirmation e-mail: at most one per ten minutes.
    confirmation_sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP
);
CREATE INDEX subscriptions_by_state ON subscriptions (state, created_at);

-- The tokens of links in e-mails, each for one purpose (confirm, manage,
-- unsubscribe); only their SHA-256 is kept.
CREATE TABLE subscription_tokens (
    token_hash TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX subscription_tokens_by_subscription ON subscription_tokens (subscription_id);
