-- What kino-2's prompt reader understood of a video's prompt (its slots, JSON), or the slots
-- the person corrected; NULL for kino-1 videos, whose model reads no slots. Keep in step with
-- the other database's folder.
ALTER TABLE videos ADD COLUMN understood TEXT;
