-- People who asked to join while the instance is invite-only, in the order they asked.
CREATE TABLE waitlist (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    -- Set when an invite is sent; invited people no longer count as waiting.
    invited_at TEXT
);
