//! The OpenAPI document at `/api/openapi.json`. The routes add their operations (see
//! [`super::routes`]); [`complete`] then declares the typed path parameters and makes
//! every operation list every answer it can give: the handlers declare their successes
//! and the refusals particular to them, and the refusals every operation shares
//! (authentication, the request layer's 404/413/415/422, 500 and 503) are added here,
//! all as `application/problem+json`.

use utoipa::openapi::content::Content;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Ref, Schema, SchemaFormat, Type,
};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{OpenApi as Document, RefOr, Required};
use utoipa::{Modify, OpenApi};

/// Completes the document once every route has added its operation.
pub fn complete(doc: &mut Document) {
    BearerAuth.modify(doc);
    ProblemResponses.modify(doc);
}

#[derive(OpenApi)]
#[openapi(
    info(title = "cpor", description = "Customer association claims under the Claiming Partner of Record model. Every refusal is an RFC 9457 problem (application/problem+json) whose `errors` name each field and rule."),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    security(("bearer" = []))
)]
pub struct ApiDoc;

const PROBLEM: &str = "application/problem+json";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Document) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Completes every operation's answers with the refusals all operations share.
pub struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut Document) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_ids = path.contains('{');
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                declare_path_parameters(op, path);
                add_shared_refusals(op, has_ids);
            }
        }
    }
}

/// Declares each `{name}` of the path as a path parameter: the typed extractors
/// ([`crate::request::path`]) parse them, so no handler signature shows them.
fn declare_path_parameters(op: &mut Operation, path: &str) {
    let params = op.parameters.get_or_insert_with(Vec::new);
    for name in path.split('{').skip(1).filter_map(|s| s.split('}').next()) {
        let declared = params.iter().any(
            |p| matches!(p, RefOr::T(p) if p.name == name && p.parameter_in == ParameterIn::Path),
        );
        if declared {
            continue;
        }
        let (format, description) = match name {
            "id" => (Some(KnownFormat::Uuid), "The claim's id."),
            "poe_id" => (Some(KnownFormat::Uuid), "The document's id."),
            _ => (None, "The secret of the consent link."),
        };
        let mut schema = ObjectBuilder::new().schema_type(Type::String);
        if let Some(f) = format {
            schema = schema.format(Some(SchemaFormat::KnownFormat(f)));
        }
        params.push(RefOr::T(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(schema))
                .build(),
        ));
    }
}

fn add_shared_refusals(op: &mut Operation, has_ids: bool) {
    // Refusals declared by handlers are problems too.
    for (status, answer) in op.responses.responses.iter_mut() {
        if status.as_str() >= "400"
            && let RefOr::T(answer) = answer
            && let Some(content) = answer.content.shift_remove("application/json")
        {
            answer.content.insert(PROBLEM.to_string(), content);
        }
    }
    let public = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| *r == SecurityRequirement::default()));
    let mut add = |status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem(description));
    };
    if !public {
        add("401", "No valid API token was sent.");
        add("403", "The caller's role may not do this.");
    }
    if has_ids {
        add("404", "No such thing, or not visible to the caller.");
    }
    add(
        "422",
        "A field, parameter or header breaks a rule; each is named in `errors`.",
    );
    if op.request_body.is_some() {
        add("413", "The body is too large.");
        add(
            "415",
            "The body is not of the media type this operation takes.",
        );
    }
    add("500", "An unexpected failure; it was logged.");
    add("503", "The database cannot be reached; try again shortly.");
}

fn problem(description: &str) -> RefOr<Response> {
    let mut answer = Response::new(description);
    answer.content.insert(
        PROBLEM.to_string(),
        RefOr::T(Content::new(Some(RefOr::Ref(Ref::from_schema_name(
            "Problem",
        ))))),
    );
    RefOr::T(answer)
}

/// A string schema that takes one of `names`.
pub fn one_of(names: impl IntoIterator<Item = &'static str>, example: &str) -> Schema {
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(names.into_iter().collect::<Vec<_>>()))
            .examples([example])
            .build(),
    )
}

/// An array schema of names from `names`.
pub fn many_of(names: impl IntoIterator<Item = &'static str>, example: &str) -> Schema {
    Schema::Array(
        ArrayBuilder::new()
            .items(RefOr::T(one_of(names, example)))
            .build(),
    )
}
