-- How a video was made (from a prompt, or from another video: remix, edit, extension; the
-- source is remixed_from_video_id), likes, comments, reports for moderation, and "not
-- interested" marks for the feed. Keep in step with postgres/.
ALTER TABLE videos ADD COLUMN kind TEXT NOT NULL DEFAULT 'generate' CHECK (kind IN ('generate', 'remix', 'edit', 'extend'));
CREATE INDEX videos_published ON videos (visibility, published_at);

CREATE TABLE likes (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    video_id   TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, video_id)
);
CREATE INDEX likes_video ON likes (video_id);

CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    video_id   TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    author_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_video ON comments (video_id, created_at);

-- Reports stay when the video goes (video_id is then null), so moderators keep the record.
CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    reporter_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    video_id    TEXT REFERENCES videos (id) ON DELETE SET NULL,
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at  INTEGER NOT NULL
);
CREATE INDEX reports_status ON reports (status, created_at);

CREATE TABLE not_interested (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    video_id   TEXT NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, video_id)
);
