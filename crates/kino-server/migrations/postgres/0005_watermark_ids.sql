-- The 64-bit number each video's invisible watermark carries, so a file found anywhere can be
-- traced back to its video. Keep in step with sqlite/.
ALTER TABLE videos ADD COLUMN watermark_id BIGINT;
CREATE UNIQUE INDEX videos_watermark ON videos (watermark_id);
