//! `POST /api/v1/waitlist`.

use kino_core::api::{JoinWaitlist, WaitlistPlace};

use super::{ApiError, post, request};

pub async fn join(body: &JoinWaitlist) -> Result<WaitlistPlace, ApiError> {
    request(post("/waitlist").json(body)).await
}
