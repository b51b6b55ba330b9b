//! Errors of the domain: a list of field-level errors, each with a code listed in
//! docs/product.md, bad input and failure.
//!
//! Rule: every refusal names the field it is about (or `status`, `role`, `claim` for
//! refusals that are not about one input field) and a code that programs can match on;
//! the message is for the partner reading it. A refused request changes nothing.

use serde::Serialize;
use std::fmt;

/// The basic codes of docs/product.md (bad input and failure), plus a few precise ones for
/// rules a partner must be able to tell apart (the subscription rules each have their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    InvalidFormat,
    InvalidEnumValue,
    TooManyValues,
    NotEnoughValues,
    ValueOutOfRange,
    Duplicate,
    InvalidState,
    NotPermitted,
    Conflict,
    NotFound,
    /// The field is only allowed for another solution area or activity.
    NotApplicable,
    /// The domain name is not a verified domain of the tenant.
    DomainNotInTenant,
    /// The MPN ID is not one of the organisation's partner locations.
    MpnIdNotInOrganisation,
    /// The product belongs to another solution area.
    ProductNotInSolutionArea,
    /// The activity is not offered for the solution area.
    ActivityNotInSolutionArea,
    /// The tenant has several subscriptions of the product: the partner must choose.
    SubscriptionRequired,
    /// The tenant has no subscription of the product.
    NoSubscription,
    SubscriptionNotInTenant,
    SubscriptionProductMismatch,
    SubscriptionNotActive,
    SubscriptionIsCsp,
    /// The association key is already held by the claiming organisation.
    AlreadyHeld,
    /// The dispute window (30 days after the rejection) has passed.
    WindowClosed,
}

impl ErrorCode {
    /// Every code, for those who must give each one words.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Required,
        ErrorCode::InvalidFormat,
        ErrorCode::InvalidEnumValue,
        ErrorCode::TooManyValues,
        ErrorCode::NotEnoughValues,
        ErrorCode::ValueOutOfRange,
        ErrorCode::Duplicate,
        ErrorCode::InvalidState,
        ErrorCode::NotPermitted,
        ErrorCode::Conflict,
        ErrorCode::NotFound,
        ErrorCode::NotApplicable,
        ErrorCode::DomainNotInTenant,
        ErrorCode::MpnIdNotInOrganisation,
        ErrorCode::ProductNotInSolutionArea,
        ErrorCode::ActivityNotInSolutionArea,
        ErrorCode::SubscriptionRequired,
        ErrorCode::NoSubscription,
        ErrorCode::SubscriptionNotInTenant,
        ErrorCode::SubscriptionProductMismatch,
        ErrorCode::SubscriptionNotActive,
        ErrorCode::SubscriptionIsCsp,
        ErrorCode::AlreadyHeld,
        ErrorCode::WindowClosed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Required => "required",
            ErrorCode::InvalidFormat => "invalid_format",
            ErrorCode::InvalidEnumValue => "invalid_enum_value",
            ErrorCode::TooManyValues => "too_many_values",
            ErrorCode::NotEnoughValues => "not_enough_values",
            ErrorCode::ValueOutOfRange => "value_out_of_range",
            ErrorCode::Duplicate => "duplicate",
            ErrorCode::InvalidState => "invalid_state",
            ErrorCode::NotPermitted => "not_permitted",
            ErrorCode::Conflict => "conflict",
            ErrorCode::NotFound => "not_found",
            ErrorCode::NotApplicable => "not_applicable",
            ErrorCode::DomainNotInTenant => "domain_not_in_tenant",
            ErrorCode::MpnIdNotInOrganisation => "mpn_id_not_in_organisation",
            ErrorCode::ProductNotInSolutionArea => "product_not_in_solution_area",
            ErrorCode::ActivityNotInSolutionArea => "activity_not_in_solution_area",
            ErrorCode::SubscriptionRequired => "subscription_required",
            ErrorCode::NoSubscription => "no_subscription",
            ErrorCode::SubscriptionNotInTenant => "subscription_not_in_tenant",
            ErrorCode::SubscriptionProductMismatch => "subscription_product_mismatch",
            ErrorCode::SubscriptionNotActive => "subscription_not_active",
            ErrorCode::SubscriptionIsCsp => "subscription_is_csp",
            ErrorCode::AlreadyHeld => "already_held",
            ErrorCode::WindowClosed => "window_closed",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// The same error about a field nested under `prefix` (`customer_contact` + `email`
    /// gives `customer_contact.email`; `products[2]` + `product` gives `products[2].product`).
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

/// How a refusal is classed, which the API turns into an HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorClass {
    /// 422: the input breaks a rule.
    Invalid,
    /// 409: the claim's status does not allow it, or a concurrent change won.
    Conflict,
    /// 403: the actor's role may not do this.
    NotPermitted,
    /// 404: the thing does not exist, or the actor may not know it does.
    NotFound,
}

/// Fields that name the resource of a request's path rather than one of its inputs: a
/// `not_found` about them is a 404, while a `not_found` about an input (an unknown
/// tenant) is invalid input.
pub const RESOURCES: [&str; 4] = ["claim", "poe", "comment", "consent"];

/// A refused command: all the errors found, never only the first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DomainError {
    pub errors: Vec<FieldError>,
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.errors.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

impl DomainError {
    pub fn new(errors: Vec<FieldError>) -> Self {
        debug_assert!(!errors.is_empty(), "a refusal carries at least one error");
        DomainError { errors }
    }

    pub fn one(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        DomainError::new(vec![FieldError::new(field, code, message)])
    }

    pub fn invalid_state(message: impl Into<String>) -> Self {
        DomainError::one("status", ErrorCode::InvalidState, message)
    }

    pub fn not_permitted(message: impl Into<String>) -> Self {
        DomainError::one("role", ErrorCode::NotPermitted, message)
    }

    pub fn not_found(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::one(field, ErrorCode::NotFound, message)
    }

    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        DomainError::one(field, ErrorCode::Conflict, message)
    }

    /// Turns a list of errors into a result: `Ok(())` when it is empty.
    pub fn check(errors: Vec<FieldError>) -> Result<(), DomainError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::new(errors))
        }
    }

    /// The class of the most serious error: not found, then not permitted, then a state
    /// conflict, then invalid input.
    pub fn class(&self) -> ErrorClass {
        self.errors
            .iter()
            .map(|e| match e.code {
                ErrorCode::NotFound if RESOURCES.contains(&e.field.as_str()) => {
                    ErrorClass::NotFound
                }
                ErrorCode::NotPermitted => ErrorClass::NotPermitted,
                ErrorCode::InvalidState | ErrorCode::Conflict | ErrorCode::WindowClosed => {
                    ErrorClass::Conflict
                }
                _ => ErrorClass::Invalid,
            })
            .max()
            .unwrap_or(ErrorClass::Invalid)
    }

    pub fn has(&self, field: &str, code: ErrorCode) -> bool {
        self.errors
            .iter()
            .any(|e| e.field == field && e.code == code)
    }
}
