//! Feed v1: published videos of people I follow, fresh remixes of videos I liked, and popular
//! public videos, ranked by a plain formula.
//!
//! The ranking favours creation and friends, never time spent (Kino does not even record
//! watch time): a video earns points for being made by someone I follow, for building on a
//! video I liked, for being remixed (three times a like) and liked, and for being a remix
//! itself; it loses one point per day of age.

use kino_core::api::{FeedItem, FeedPage, FeedReason, Visibility};

use crate::db::Db;
use crate::domain::posts::{may_view, to_card};
use crate::error::AppError;
use crate::store;
use crate::store::users::UserRow;
use crate::store::videos::{CardRow, Kind};

/// How far back the feed looks.
const WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;
/// At most this many candidates are ranked per request.
const MAX_CANDIDATES: i64 = 1000;

/// A candidate with its reason and score.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub row: CardRow,
    pub reason: FeedReason,
    pub score: f64,
}

/// Why `row` would be shown to the viewer, if at all.
pub fn reason(row: &CardRow, viewer_id: &str) -> Option<FeedReason> {
    if !may_view(row, Some(viewer_id)) || row.video.owner_id == viewer_id || row.muted > 0 || row.not_interested > 0 {
        return None;
    }
    if row.viewer_follows > 0 {
        Some(FeedReason::Following)
    } else if row.source_liked > 0 {
        Some(FeedReason::RemixOfLiked)
    } else if row.video.visibility() == Visibility::Public {
        Some(FeedReason::Popular)
    } else {
        None
    }
}

/// The score of a candidate at `now_ms` (see the module comment).
pub fn score(row: &CardRow, reason: FeedReason, now_ms: i64) -> f64 {
    let boost = match reason {
        FeedReason::Following => 3.0,
        FeedReason::RemixOfLiked => 2.0,
        FeedReason::Popular => 0.0,
    };
    let creation = (1.0 + row.likes.max(0) as f64 + 3.0 * row.remixes.max(0) as f64).ln();
    let builds_on_another = if row.video.kind() == Kind::Generate { 0.0 } else { 0.5 };
    let age_days = (now_ms - row.video.published_at.unwrap_or(now_ms)).max(0) as f64 / (24.0 * 3600.0 * 1000.0);
    boost + creation + builds_on_another - age_days
}

/// Candidates in feed order: best score first, then newest id.
pub fn rank(candidates: Vec<CardRow>, viewer_id: &str, now_ms: i64) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = candidates
        .into_iter()
        .filter_map(|row| {
            let reason = reason(&row, viewer_id)?;
            let score = score(&row, reason, now_ms);
            Some(Ranked { row, reason, score })
        })
        .collect();
    ranked.sort_by(|a, b| position(b).cmp(&position(a)));
    ranked
}

/// The sort key: score in millionths, then id.
fn position(ranked: &Ranked) -> (i64, &str) {
    ((ranked.score * 1e6).round() as i64, ranked.row.video.id.as_str())
}

/// Where a page ended: the ranking's time (so later pages rank alike) and the last item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub snapshot_ms: i64,
    pub score_micros: i64,
    pub id: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}.{}", self.snapshot_ms, self.score_micros, self.id)
    }

    pub fn parse(raw: &str) -> Option<Cursor> {
        let mut parts = raw.splitn(3, '.');
        let snapshot_ms = parts.next()?.parse().ok()?;
        let score_micros = parts.next()?.parse().ok()?;
        let id = parts.next().filter(|id| !id.is_empty())?.to_owned();
        Some(Cursor { snapshot_ms, score_micros, id })
    }
}

fn why(item: &Ranked) -> String {
    match item.reason {
        FeedReason::Following => format!("from @{}, whom you follow", item.row.owner_handle),
        FeedReason::RemixOfLiked => "a remix of a video you liked".to_owned(),
        FeedReason::Popular => format!("popular on Kino: {} likes, {} remixes", item.row.likes, item.row.remixes),
    }
}

/// One page of the viewer's feed, after `after` if given.
pub async fn page(db: &Db, viewer: &UserRow, after: Option<&str>, limit: usize, now_ms: i64) -> Result<FeedPage, AppError> {
    let cursor = match after {
        Some(raw) => Some(
            Cursor::parse(raw).ok_or_else(|| AppError::invalid("invalid_cursor", "`after` must be a next_cursor from an earlier feed page", Some("after")))?,
        ),
        None => None,
    };
    let snapshot = cursor.as_ref().map_or(now_ms, |c| c.snapshot_ms);
    let mut conn = db.pool.acquire().await?;
    let candidates = store::videos::feed_candidates(&mut conn, &viewer.id, snapshot - WINDOW_MS, snapshot, MAX_CANDIDATES).await?;
    let ranked = rank(candidates, &viewer.id, snapshot);
    let start = match &cursor {
        Some(c) => ranked.iter().position(|r| position(r) < (c.score_micros, c.id.as_str())).unwrap_or(ranked.len()),
        None => 0,
    };
    let page: Vec<&Ranked> = ranked.iter().skip(start).take(limit).collect();
    let next_cursor = (start + page.len() < ranked.len()).then(|| page.last()).flatten().map(|last| {
        let (score_micros, id) = position(last);
        Cursor { snapshot_ms: snapshot, score_micros, id: id.to_owned() }.encode()
    });
    let items = page.iter().map(|item| Ok(FeedItem { card: to_card(&item.row)?, reason: item.reason, why: why(item) })).collect::<Result<_, AppError>>()?;
    Ok(FeedPage { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::videos::VideoRow;

    const DAY: i64 = 24 * 3600 * 1000;

    fn row(id: &str, owner: &str, visibility: &str) -> CardRow {
        CardRow {
            video: VideoRow {
                id: id.into(),
                owner_id: owner.into(),
                job_id: format!("job_{id}"),
                model: "kino-1".into(),
                prompt: "a red ball".into(),
                seconds: "2".into(),
                size: "64x64".into(),
                remixed_from_video_id: None,
                visibility: visibility.into(),
                published_at: Some(10 * DAY),
                created_at: 10 * DAY,
                kind: "generate".into(),
                job_state: "completed".into(),
                job_progress: 100,
                job_error: None,
                job_completed_at: Some(10 * DAY),
                understood: None,
                seed: None,
                steps: None,
            },
            owner_handle: owner.into(),
            likes: 0,
            comments: 0,
            remixes: 0,
            liked: 0,
            viewer_follows: 0,
            blocked: 0,
            muted: 0,
            not_interested: 0,
            source_liked: 0,
        }
    }

    #[test]
    fn reasons_follow_the_rules() {
        let me = "me";
        assert_eq!(reason(&row("v1", "ana", "public"), me), Some(FeedReason::Popular));
        assert_eq!(reason(&row("v1", "me", "public"), me), None, "my own videos");
        assert_eq!(reason(&row("v1", "ana", "followers"), me), None, "followers-only, not following");
        assert_eq!(reason(&row("v1", "ana", "private"), me), None);
        let followed = CardRow { viewer_follows: 1, ..row("v1", "ana", "followers") };
        assert_eq!(reason(&followed, me), Some(FeedReason::Following));
        let remix = CardRow { source_liked: 1, ..row("v1", "ana", "public") };
        assert_eq!(reason(&remix, me), Some(FeedReason::RemixOfLiked));
        for hidden in [
            CardRow { muted: 1, ..row("v1", "ana", "public") },
            CardRow { blocked: 1, ..row("v1", "ana", "public") },
            CardRow { not_interested: 1, ..row("v1", "ana", "public") },
        ] {
            assert_eq!(reason(&hidden, me), None);
        }
    }

    #[test]
    fn friends_and_remixes_outrank_likes_and_age_counts() {
        let now = 10 * DAY;
        let friend = CardRow { viewer_follows: 1, ..row("friend", "bo", "public") };
        let liked_a_lot = CardRow { likes: 12, ..row("liked", "cy", "public") };
        let remixed = CardRow { remixes: 5, ..row("remixed", "di", "public") };
        let plain = row("plain", "ed", "public");
        let mut old = row("old", "fi", "public");
        old.video.published_at = Some(7 * DAY);
        let order: Vec<String> = rank(vec![plain, old, liked_a_lot, remixed, friend], "me", now).into_iter().map(|r| r.row.video.id).collect();
        assert_eq!(order, ["friend", "remixed", "liked", "plain", "old"]);
    }

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let cursor = Cursor { snapshot_ms: 1_700_000_000_000, score_micros: -1_250_000, id: "video_ab.c".into() };
        assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor));
        for junk in ["", "x", "1.2", "1.x.id", "a.2.id", "1.2."] {
            assert_eq!(Cursor::parse(junk), None, "{junk}");
        }
    }
}
