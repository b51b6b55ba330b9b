//! Query strings, strictly: a parameter given twice, a parameter the operation does not
//! take, or a value past its bound is refused with 422 naming the parameter, so a typo
//! in a filter never returns the unfiltered list.
//!
//! The target type lists the parameters; it must use `#[serde(deny_unknown_fields)]`.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use cpor_domain::{ErrorCode, FieldError};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;

/// No parameter value is longer than this (ids, enums, cursors, search words).
pub const MAX_VALUE_CHARS: usize = 200;

pub struct StrictQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse(parts.uri.query().unwrap_or("")).map(StrictQuery)
    }
}

pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if !seen.insert(name.to_string()) {
            errors.push(FieldError::new(
                name.to_string(),
                ErrorCode::TooManyValues,
                format!("Give {name} once."),
            ));
        } else if value.chars().count() > MAX_VALUE_CHARS {
            errors.push(FieldError::new(
                name.to_string(),
                ErrorCode::ValueOutOfRange,
                format!("{name} is at most {MAX_VALUE_CHARS} characters."),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    serde_urlencoded::from_str(query).map_err(|e| {
        let msg = e.to_string();
        let error = match msg
            .strip_prefix("unknown field `")
            .and_then(|r| r.split_once('`'))
        {
            Some((name, rest)) => {
                let allowed = rest
                    .split_once("expected ")
                    .map(|(_, a)| a.replace('`', ""))
                    .unwrap_or_default();
                FieldError::new(
                    name,
                    ErrorCode::NotApplicable,
                    if allowed.is_empty() {
                        format!("{name} is not a parameter of this request.")
                    } else {
                        format!("{name} is not a parameter of this request; it takes {allowed}.")
                    },
                )
            }
            None => FieldError::new("query", ErrorCode::InvalidFormat, msg),
        };
        ApiError::invalid(vec![error])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Params {
        status: Option<String>,
        q: Option<String>,
    }

    fn fields(r: Result<Params, ApiError>) -> Vec<(String, &'static str)> {
        r.err()
            .map(|e| {
                e.errors
                    .into_iter()
                    .map(|f| (f.field, f.code.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn an_unknown_parameter_is_named() {
        assert_eq!(
            fields(parse("dispute=open")),
            vec![("dispute".to_string(), "not_applicable")]
        );
    }

    #[test]
    fn a_repeated_parameter_is_named() {
        assert_eq!(
            fields(parse("status=draft&status=submitted")),
            vec![("status".to_string(), "too_many_values")]
        );
    }

    #[test]
    fn a_value_past_its_bound_is_named() {
        let q = format!("q={}", "x".repeat(MAX_VALUE_CHARS + 1));
        assert_eq!(
            fields(parse(&q)),
            vec![("q".to_string(), "value_out_of_range")]
        );
        let ok = format!("q={}", "é".repeat(MAX_VALUE_CHARS));
        assert!(parse::<Params>(&ok).is_ok());
    }

    #[test]
    fn known_parameters_parse() {
        assert_eq!(
            parse::<Params>("status=draft").ok(),
            Some(Params {
                status: Some("draft".into()),
                q: None
            })
        );
    }
}
