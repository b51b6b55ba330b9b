use crate::error::{ErrorCode, FieldError};
use crate::string_enum;
use crate::values::Parse;

string_enum!(
    /// Why a claim needs the partner's action, was rejected, or why its association ended
    /// (docs/product.md, lifecycle). The API shows the current ones in the claim's `reasons`.
    Reason, "reasons", "reason" {
        // Partner action required.
        MissingPoe = "missing_poe",
        MissingCustomerSignature = "missing_customer_signature",
        MissingOrOldDates = "missing_or_old_dates",
        MissingPartnerSolution = "missing_partner_solution",
        /// Both a reason to ask for information and a reason to reject.
        MissingProducts = "missing_products",
        // Rejected.
        PartnerRequest = "partner_request",
        CustomerDeclined = "customer_declined",
        InsufficientPoe = "insufficient_poe",
        MissingCustomerConsentOnPoe = "missing_customer_consent_on_poe",
        NoPartnerResponse = "no_partner_response",
        PoeNotAvailable = "poe_not_available",
        AssociationConflict = "association_conflict",
        // Association ended or expired.
        /// Another partner's claim on the key won arbitration.
        Superseded = "superseded",
        /// The partner ended the association, giving a reason in words.
        Disassociated = "disassociated",
        /// The claimed subscriptions' end dates have passed.
        SubscriptionEnded = "subscription_ended",
    }
);

/// The reasons a reviewer may give when asking for information.
pub const ACTION_REASONS: &[Reason] = &[
    Reason::MissingPoe,
    Reason::MissingCustomerSignature,
    Reason::MissingOrOldDates,
    Reason::MissingPartnerSolution,
    Reason::MissingProducts,
];

/// The reasons a reviewer may give when rejecting. The others (`partner_request`,
/// `customer_declined`, `no_partner_response`) are what a partner's, a customer's or the
/// clock's action records, never a reviewer's choice.
pub const REVIEW_REJECTION_REASONS: &[Reason] = &[
    Reason::InsufficientPoe,
    Reason::MissingCustomerConsentOnPoe,
    Reason::MissingProducts,
    Reason::PoeNotAvailable,
    Reason::AssociationConflict,
];

/// Parses a reviewer's list of reasons: at least one, each known, allowed here, and given
/// once. All problems are reported, each at `reasons[i]`.
pub fn parse_reasons(raw: &[String], allowed: &[Reason]) -> Result<Vec<Reason>, Vec<FieldError>> {
    if raw.is_empty() {
        return Err(vec![FieldError::new(
            "reasons",
            ErrorCode::NotEnoughValues,
            "Give at least one reason.",
        )]);
    }
    let mut errors = Vec::new();
    let mut out: Vec<Reason> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let field = format!("reasons[{i}]");
        match Reason::parse_field(&field, r) {
            Err(e) => errors.push(e),
            Ok(reason) if !allowed.contains(&reason) => errors.push(FieldError::new(
                field,
                ErrorCode::InvalidEnumValue,
                format!(
                    "\"{reason}\" cannot be given here; use one of: {}.",
                    allowed
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Ok(reason) if out.contains(&reason) => errors.push(FieldError::new(
                field,
                ErrorCode::Duplicate,
                format!("\"{reason}\" is given twice."),
            )),
            Ok(reason) => out.push(reason),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn reasons_must_be_known_allowed_and_unique() {
        assert_eq!(
            parse_reasons(&s(&["missing_poe", "missing_products"]), ACTION_REASONS),
            Ok(vec![Reason::MissingPoe, Reason::MissingProducts])
        );
        let errs = parse_reasons(
            &s(&["missing_poe", "nope", "insufficient_poe", "missing_poe"]),
            ACTION_REASONS,
        )
        .unwrap_err();
        let got: Vec<(&str, ErrorCode)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("reasons[1]", ErrorCode::InvalidEnumValue),
                ("reasons[2]", ErrorCode::InvalidEnumValue),
                ("reasons[3]", ErrorCode::Duplicate)
            ]
        );
        assert_eq!(
            parse_reasons(&[], REVIEW_REJECTION_REASONS).unwrap_err()[0].code,
            ErrorCode::NotEnoughValues
        );
    }

    #[test]
    fn a_reviewer_cannot_reject_for_reasons_only_partners_customers_or_the_clock_give() {
        for r in [
            "partner_request",
            "customer_declined",
            "no_partner_response",
        ] {
            assert!(
                parse_reasons(&s(&[r]), REVIEW_REJECTION_REASONS).is_err(),
                "{r}"
            );
        }
    }
}
