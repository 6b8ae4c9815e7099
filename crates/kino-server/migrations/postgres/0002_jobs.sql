-- The durable job queue. Workers claim a job by taking a lease, renew it while they run,
-- and a job whose lease lapsed (its worker died) is claimed again. Keep in step with sqlite/.
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    owner_id         TEXT REFERENCES users (id) ON DELETE CASCADE,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('queued', 'in_progress', 'completed', 'failed', 'cancelled')),
    progress         BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    attempts         BIGINT NOT NULL DEFAULT 0,
    max_attempts     BIGINT NOT NULL,
    run_after        BIGINT NOT NULL,
    lease_owner      TEXT,
    lease_expires_at BIGINT,
    cancel_requested BIGINT NOT NULL DEFAULT 0,
    idempotency_key  TEXT,
    -- What a handler saved to resume from after a crash.
    checkpoint       TEXT,
    result           TEXT,
    error            TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    completed_at     BIGINT
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs (owner_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_ready ON jobs (state, run_after);
CREATE INDEX jobs_owner ON jobs (owner_id, created_at);
