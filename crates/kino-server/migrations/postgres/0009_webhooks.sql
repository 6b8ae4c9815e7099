-- Webhook endpoints an account registers, and every event sent (or being sent) to one. The
-- secret is kept as given: events are signed with it. Keep in step with the other database's
-- folder.
CREATE TABLE webhook_endpoints (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    -- Comma-separated event types, e.g. 'video.completed,video.failed'.
    events     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_user ON webhook_endpoints (user_id);

CREATE TABLE webhook_deliveries (
    id          TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id    TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    video_id    TEXT NOT NULL,
    -- The exact JSON body sent, so every attempt signs the same bytes.
    body        TEXT NOT NULL,
    -- 'pending', 'delivered' or 'failed'.
    state       TEXT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 0,
    last_status BIGINT,
    last_error  TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
