//! The OpenAPI document (`/api/openapi.json`), built from the same table that builds the
//! routers: each route is registered together with its description, so the document cannot
//! name a route the server lacks or miss one it has. Schemas come from kino-core's types.

use axum::Router;
use axum::handler::Handler;
use axum::routing::MethodRouter;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::app::AppState;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Anyone.
    Public,
    /// Anyone; signed-in callers may see more.
    Optional,
    /// A session cookie or an API key.
    Required,
}

/// A body or a response: JSON of a kino-core type, or another media type.
#[derive(Clone, Copy)]
enum Content {
    Json(fn(&mut SchemaGenerator) -> Schema),
    Other(&'static str),
}

fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// One operation's description.
#[derive(Clone)]
pub struct Op {
    summary: &'static str,
    auth: Auth,
    body: Option<Content>,
    query: Vec<(&'static str, &'static str)>,
    status: u16,
    response: Option<Content>,
}

/// A new description: `summary`, requiring a signed-in caller, answering 200 with no body
/// until told otherwise.
pub fn op(summary: &'static str) -> Op {
    Op { summary, auth: Auth::Required, body: None, query: Vec::new(), status: 200, response: None }
}

impl Op {
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    pub fn body<T: JsonSchema>(mut self) -> Self {
        self.body = Some(Content::Json(schema_of::<T>));
        self
    }

    pub fn raw_body(mut self, media_type: &'static str) -> Self {
        self.body = Some(Content::Other(media_type));
        self
    }

    pub fn query(mut self, name: &'static str, description: &'static str) -> Self {
        self.query.push((name, description));
        self
    }

    pub fn returns<T: JsonSchema>(mut self) -> Self {
        self.response = Some(Content::Json(schema_of::<T>));
        self
    }

    pub fn returns_media(mut self, media_type: &'static str) -> Self {
        self.response = Some(Content::Other(media_type));
        self
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

/// A router and the description of every route in it.
pub struct Documented {
    pub router: Router<AppState>,
    operations: Vec<(String, &'static str, Op)>,
}

macro_rules! method {
    ($($name:ident),*) => {$(
        pub fn $name<H, T>(self, path: &str, handler: H, op: Op) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.route(path, stringify!($name), axum::routing::$name(handler), op)
        }
    )*};
}

impl Documented {
    pub fn new() -> Self {
        Documented { router: Router::new(), operations: Vec::new() }
    }

    method!(get, post, put, delete);

    /// Registers `route` (one method's router, possibly with layers) at `path`.
    pub fn route(mut self, path: &str, method: &'static str, route: MethodRouter<AppState>, op: Op) -> Self {
        self.router = self.router.route(path, route);
        self.operations.push((path.to_owned(), method, op));
        self
    }
}

impl Default for Documented {
    fn default() -> Self {
        Self::new()
    }
}

fn content(generator: &mut SchemaGenerator, content: Content) -> Value {
    match content {
        Content::Json(schema) => json!({ "application/json": { "schema": schema(generator) } }),
        Content::Other(media_type) => {
            json!({ media_type: { "schema": { "type": "string", "format": "binary" } } })
        }
    }
}

/// The OpenAPI 3.0 document of `apis` (each mounted at its prefix).
pub fn document(apis: &[(&str, &Documented)]) -> Value {
    let mut generator: SchemaGenerator = SchemaSettings::openapi3().into_generator();
    let error = schema_of::<kino_core::api::ErrorBody>(&mut generator);
    let mut paths: Map<String, Value> = Map::new();
    for (prefix, api) in apis {
        for (path, method, op) in &api.operations {
            let full = format!("{prefix}{path}");
            let mut parameters: Vec<Value> = full
                .split('/')
                .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
                .collect();
            parameters.extend(op.query.iter().map(
                |(name, description)| json!({ "name": name, "in": "query", "required": false, "description": description, "schema": { "type": "string" } }),
            ));
            let mut responses = Map::new();
            let mut success = json!({ "description": "success" });
            if let Some(response) = op.response {
                success["content"] = content(&mut generator, response);
            }
            responses.insert(op.status.to_string(), success);
            responses.insert("default".to_owned(), json!({ "description": "an error", "content": { "application/json": { "schema": error.clone() } } }));
            let mut operation = json!({
                "summary": op.summary,
                "operationId": format!("{method}{}", full.replace(['/', '{', '}', '-'], "_")),
                "parameters": parameters,
                "responses": responses,
            });
            if let Some(body) = op.body {
                operation["requestBody"] = json!({ "required": true, "content": content(&mut generator, body) });
            }
            match op.auth {
                Auth::Public => operation["security"] = json!([]),
                Auth::Optional => operation["security"] = json!([{}, { "session": [] }, { "bearer": [] }]),
                Auth::Required => {}
            }
            let entry = paths.entry(full).or_insert_with(|| json!({}));
            entry[*method] = operation;
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Kino API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Kino's HTTP API. `/v1/videos` follows OpenAI's Videos API, so OpenAI clients work with Kino's base URL; sizes and lengths are Kino's own (see `GET /api/v1/models`). `/api/v1` is the studio's API.",
        },
        "paths": paths,
        "components": {
            "schemas": generator.take_definitions(true),
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "an API key (`kino_sk_...`)" },
                "session": { "type": "apiKey", "in": "cookie", "name": "kino_session" },
            },
        },
        "security": [{ "session": [] }, { "bearer": [] }],
    })
}
