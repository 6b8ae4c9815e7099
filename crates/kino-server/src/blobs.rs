//! Media files (videos, thumbnails, sprite sheets) through `object_store`: a folder in the
//! data directory by default, or an S3-compatible bucket (`--media-url s3://bucket/prefix`).
//! Keys are `videos/{video_id}/{variant}`.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
    /// Where the files live, for people (`folder ./data/media`, `s3://bucket/prefix`).
    pub location: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("no such media file: {0}")]
    NotFound(String),
    #[error("media storage failed: {0}")]
    Store(#[from] object_store::Error),
    #[error("cannot create the media folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("--media-url `{0}` is not an S3 URL: use s3://BUCKET or s3://BUCKET/PREFIX")]
    BadUrl(String),
    #[error("cannot use the media bucket {url}: {source}")]
    Bucket { url: String, source: object_store::Error },
}

/// The files a finished video has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Video,
    Thumbnail,
    Spritesheet,
    /// The generator's latents (JSON), kept for remixes and extensions; never served.
    Latents,
}

impl Variant {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "video" => Some(Self::Video),
            "thumbnail" => Some(Self::Thumbnail),
            "spritesheet" => Some(Self::Spritesheet),
            _ => None,
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            Self::Video => "video.mp4",
            Self::Thumbnail => "thumbnail.png",
            Self::Spritesheet => "spritesheet.png",
            Self::Latents => "latents.json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Video => "video/mp4",
            Self::Thumbnail | Self::Spritesheet => "image/png",
            Self::Latents => "application/json",
        }
    }
}

fn key(video_id: &str, variant: Variant) -> Key {
    Key::from(format!("videos/{video_id}/{}", variant.file_name()))
}

impl Blobs {
    /// Media under `dir` (created if missing).
    pub fn local(dir: &Path) -> Result<Self, BlobError> {
        std::fs::create_dir_all(dir).map_err(|source| BlobError::Folder { path: dir.display().to_string(), source })?;
        Ok(Self { store: Arc::new(LocalFileSystem::new_with_prefix(dir)?), location: format!("folder {}", dir.display()) })
    }

    /// Media in an S3-compatible bucket: `url` is `s3://BUCKET[/PREFIX]`; `endpoint` names a
    /// server other than AWS (MinIO, R2, ...). Credentials and region come from the usual
    /// `AWS_*` variables. Lists the bucket once, so a wrong name, endpoint or key fails here
    /// rather than at the first finished video.
    pub async fn s3(url: &str, endpoint: Option<&str>) -> Result<Self, BlobError> {
        let rest = url.strip_prefix("s3://").ok_or_else(|| BlobError::BadUrl(url.to_owned()))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let prefix = prefix.trim_matches('/');
        if bucket.is_empty() || bucket.contains(|c: char| c.is_whitespace()) {
            return Err(BlobError::BadUrl(url.to_owned()));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = endpoint {
            builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
        }
        let bucket_error = |source| BlobError::Bucket { url: url.to_owned(), source };
        let s3 = builder.build().map_err(bucket_error)?;
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() { Arc::new(s3) } else { Arc::new(PrefixStore::new(s3, prefix)) };
        store.list_with_delimiter(None).await.map_err(bucket_error)?;
        Ok(Self { store, location: url.to_owned() })
    }

    pub async fn put(&self, video_id: &str, variant: Variant, bytes: Vec<u8>) -> Result<(), BlobError> {
        self.store.put(&key(video_id, variant), PutPayload::from(bytes)).await?;
        Ok(())
    }

    pub async fn get(&self, video_id: &str, variant: Variant) -> Result<Bytes, BlobError> {
        let key = key(video_id, variant);
        match self.store.get(&key).await {
            Ok(result) => Ok(result.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(BlobError::NotFound(key.to_string())),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes every file of a video; a video without files is fine.
    pub async fn delete_video(&self, video_id: &str) -> Result<(), BlobError> {
        let prefix = Key::from(format!("videos/{video_id}"));
        let mut listing = self.store.list(Some(&prefix));
        while let Some(meta) = listing.next().await {
            self.store.delete(&meta?.location).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_round_trip_and_go_away_together() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = Blobs::local(&dir.path().join("media")).unwrap();
        blobs.put("video_a", Variant::Video, b"mp4 bytes".to_vec()).await.unwrap();
        blobs.put("video_a", Variant::Thumbnail, b"png bytes".to_vec()).await.unwrap();
        blobs.put("video_b", Variant::Video, b"other".to_vec()).await.unwrap();
        assert_eq!(&blobs.get("video_a", Variant::Video).await.unwrap()[..], b"mp4 bytes");
        blobs.delete_video("video_a").await.unwrap();
        assert!(matches!(blobs.get("video_a", Variant::Thumbnail).await, Err(BlobError::NotFound(_))));
        assert_eq!(&blobs.get("video_b", Variant::Video).await.unwrap()[..], b"other");
        blobs.delete_video("video_never_made").await.unwrap();
    }
}
