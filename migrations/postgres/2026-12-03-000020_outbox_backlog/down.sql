DROP INDEX deliveries_pending;
