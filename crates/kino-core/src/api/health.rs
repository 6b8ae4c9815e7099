//! `GET /api/v1/health`.

use serde::{Deserialize, Serialize};

/// `GET /api/v1/health`: is this instance able to serve?
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Health {
    /// `"ok"` when every part below is healthy, `"degraded"` otherwise.
    pub status: HealthStatus,
    /// The server's crate version.
    pub version: String,
    pub database: DatabaseHealth,
    pub models: ModelsHealth,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseHealth {
    /// `"sqlite"` or `"postgres"`.
    pub backend: String,
    /// A round trip (`SELECT 1`) succeeded just now.
    pub reachable: bool,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelsHealth {
    /// Names of the generation models this server has loaded and can run.
    pub loaded: Vec<String>,
}
