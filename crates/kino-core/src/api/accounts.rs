//! Accounts, sessions, invites and API keys (`/api/v1/account`, `/api/v1/session`,
//! `/api/v1/invites`, `/api/v1/api-keys`).

use serde::{Deserialize, Serialize};

use crate::Email;
use crate::account::{AgeBand, Date, Handle, Password, Region};

/// `POST /api/v1/account`: sign up. The session cookie comes back with the account.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub email: Email,
    pub handle: Handle,
    pub password: Password,
    pub birth_date: Date,
    pub region: Region,
    /// Needed while the instance is invite-only (except for its very first account).
    #[serde(default)]
    pub invite_code: Option<String>,
}

/// `POST /api/v1/session`: sign in with e-mail and password.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub email: Email,
    /// Not a [`Password`]: old passwords may predate today's rules.
    pub password: String,
}

/// `PUT /api/v1/account/password`: every other session of the account is signed out.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    pub new_password: Password,
}

/// `DELETE /api/v1/account`: deletes the account and everything it made, after the password.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    pub password: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    Free,
    Pro,
}

/// `GET /api/v1/account`: the signed-in account as its owner sees it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub email: Email,
    pub handle: Handle,
    pub age_band: AgeBand,
    pub region: Region,
    pub role: Role,
    pub plan: Plan,
    /// Invites this account can still give.
    pub invites_left: u32,
    /// Unix seconds.
    pub created_at: i64,
}

/// `GET /api/v1/session`: who this browser is signed in as, if anyone.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub account: Option<Account>,
}

/// `POST /api/v1/invites`: a code to give to someone.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Invite {
    pub code: String,
    pub created_at: i64,
    /// Unix seconds when someone signed up with it; `None` while unused.
    pub used_at: Option<i64>,
}

/// `GET /api/v1/invites`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteList {
    pub invites_left: u32,
    /// Administrators can give any number of invites.
    pub unlimited: bool,
    pub invites: Vec<Invite>,
}

/// `POST /api/v1/api-keys`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKey {
    /// What the key is for, e.g. "my render script"; 1 to 64 characters.
    pub name: String,
}

/// A key as listed: never the secret, only its first characters.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: String,
    pub name: String,
    /// The start of the key, e.g. `kino_sk_3fA9`, to tell keys apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// The answer to [`CreateApiKey`]: the only time the secret is shown.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyCreated {
    pub key: String,
    #[serde(flatten)]
    pub summary: ApiKeySummary,
}

/// `GET /api/v1/api-keys`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyList {
    pub keys: Vec<ApiKeySummary>,
}

/// `GET /api/v1/instance`: what a visitor needs to know before signing up.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub invite_only: bool,
    /// True until the first account exists; that account needs no invite and becomes admin.
    pub needs_first_admin: bool,
    /// Regions people may sign up from; empty means any.
    pub allowed_regions: Vec<Region>,
}

/// `GET /api/v1/users/{handle}`: a person as others see them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub handle: Handle,
    pub joined_at: i64,
    pub followers: u64,
    pub following: u64,
    /// How the viewer relates to this person; all false for visitors and for oneself.
    pub viewer: ViewerRelation,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewerRelation {
    pub is_self: bool,
    pub following: bool,
    pub followed_by: bool,
    pub blocking: bool,
    pub muting: bool,
}
