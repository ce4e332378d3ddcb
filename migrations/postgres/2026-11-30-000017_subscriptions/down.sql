DROP TABLE subscription_tokens;
DROP TABLE subscriptions;
