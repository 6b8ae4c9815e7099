//! `/api/v1/account`.

use kino_core::api::{Account, ChangePassword, DeleteAccount, SignUp};

use super::{ApiError, delete, get, post, put, request, request_empty};

pub async fn sign_up(body: &SignUp) -> Result<Account, ApiError> {
    request(post("/account").json(body)).await
}

pub async fn show() -> Result<Account, ApiError> {
    request(get("/account").build()).await
}

pub async fn change_password(body: &ChangePassword) -> Result<(), ApiError> {
    request_empty(put("/account/password").json(body)).await
}

pub async fn delete_account(body: &DeleteAccount) -> Result<(), ApiError> {
    request_empty(delete("/account").json(body)).await
}
