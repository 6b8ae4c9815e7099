-- The seed and sampling steps a video was asked to be made with (the studio's "Keep" sends its
-- preview's, so the server makes that same take); NULL: the watermark id and the model's own
-- steps. Keep in step with the other database's folder.
ALTER TABLE videos ADD COLUMN seed BIGINT;
ALTER TABLE videos ADD COLUMN steps BIGINT;
