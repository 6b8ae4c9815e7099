//! A JSON extractor whose rejections are [`AppError`]s, so a malformed body gets the same
//! error shape as every other failure.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct Json<T>(pub T);

/// Query parameters; a malformed query gets the shared error shape.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        let detail = rejection.body_text();
        let param = field_named_in(&detail);
        AppError::invalid("invalid_query", detail, param.as_deref())
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            // Valid JSON of the wrong shape: serde names the field and what was wrong with it.
            JsonRejection::JsonDataError(error) => {
                let detail = error.body_text();
                let param = field_named_in(&detail);
                AppError::invalid("invalid_field", detail, param.as_deref())
            }
            JsonRejection::JsonSyntaxError(error) => AppError::invalid("invalid_json", format!("the body is not valid JSON: {}", error.body_text()), None),
            JsonRejection::MissingJsonContentType(_) => {
                AppError::UnsupportedMediaType("send the body as JSON with `Content-Type: application/json`".to_owned())
            }
            JsonRejection::BytesRejection(error) if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge("the request body is too large".to_owned())
            }
            other => AppError::invalid("invalid_body", other.body_text(), None),
        }
    }
}

/// serde's messages name a field as ``missing field `email` `` or `email: ...`; pull it out so
/// clients can point at the field without parsing prose.
fn field_named_in(detail: &str) -> Option<String> {
    let after_colon = detail.split_once(": ").map_or(detail, |(_, rest)| rest);
    if let Some(rest) = after_colon.split_once("field `").map(|(_, rest)| rest) {
        return rest.split_once('`').map(|(name, _)| name.to_owned());
    }
    let path = after_colon.split_once(": ")?.0;
    (!path.is_empty() && path.chars().all(|c| c.is_alphanumeric() || "._[]".contains(c))).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::field_named_in;

    #[test]
    fn names_the_field_from_serde_messages() {
        let missing = "Failed to deserialize the JSON body into the target type: missing field `email` at line 1 column 2";
        assert_eq!(field_named_in(missing).as_deref(), Some("email"));
        let invalid = "Failed to deserialize the JSON body into the target type: email: email must look like name@example.org at line 1 column 20";
        assert_eq!(field_named_in(invalid).as_deref(), Some("email"));
        let unknown = "Failed to deserialize the JSON body into the target type: unknown field `name`, expected `email` at line 1 column 8";
        assert_eq!(field_named_in(unknown).as_deref(), Some("name"));
        assert_eq!(field_named_in("Failed to deserialize the JSON body into the target type: invalid type: integer `3`, expected a string"), None);
    }
}
