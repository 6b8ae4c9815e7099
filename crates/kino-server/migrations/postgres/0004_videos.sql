-- Videos: what was asked for, by whom, and the generation job that makes it. Status,
-- progress and errors live on the job. Keep in step with sqlite/.
CREATE TABLE videos (
    id                    TEXT PRIMARY KEY,
    owner_id              TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    job_id                TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    model                 TEXT NOT NULL,
    prompt                TEXT NOT NULL,
    seconds               TEXT NOT NULL,
    size                  TEXT NOT NULL,
    remixed_from_video_id TEXT REFERENCES videos (id) ON DELETE SET NULL,
    visibility            TEXT NOT NULL DEFAULT 'draft' CHECK (visibility IN ('draft', 'private', 'followers', 'public')),
    published_at          BIGINT,
    created_at            BIGINT NOT NULL
);
CREATE INDEX videos_owner ON videos (owner_id, created_at);
CREATE INDEX videos_parent ON videos (remixed_from_video_id);
