//! The partner-supplied fields of a claim (docs/product.md, the claim), the raw input they
//! are parsed from, and the merge of a partial update.

use super::patch::Patch;
use crate::error::{ErrorCode, FieldError};
use crate::reference::{Activity, ProductId, SolutionArea};
use crate::string_enum;
use crate::values::{
    ClaimName, DomainName, Email, FreeText, MpnId, Parse, PersonName, SubscriptionId, TenantId,
    Title,
};
use serde::{Deserialize, Serialize};

string_enum!(
    /// The language the customer contact is written to in (the consent e-mail and the
    /// consent page). Only the customer contact has one; without it the language of the
    /// partner is used (docs/product.md, e-mails).
    ContactLanguage, "language", "language" {
        En = "en",
        Fr = "fr",
        PtBr = "pt-BR",
        Sv = "sv",
    }
);

/// A customer's contact (customer or technical).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: PersonName,
    pub title: Title,
    pub email: Email,
    /// The customer contact's language; always `None` for the technical contact. Events
    /// stored before contacts had a language read as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<ContactLanguage>,
}

/// The partner's own contact for the claim; partner e-mails go there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerContact {
    pub name: PersonName,
    pub email: Email,
}

/// The three fields of a revenue-association claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revenue {
    pub solution_seller_name: FreeText,
    pub customer_name: FreeText,
    pub isv_product_name: FreeText,
}

/// One claimed product; Business Applications products name the subscription claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductLine {
    pub product: ProductId,
    pub subscription_id: Option<SubscriptionId>,
}

/// The fields a partner fills in. The first six are given at creation and fixed once the
/// claim is submitted; the rest may be missing while the claim is a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimFields {
    pub name: ClaimName,
    pub mpn_id: MpnId,
    pub tenant_id: TenantId,
    pub domain: DomainName,
    pub solution_area: SolutionArea,
    pub activity: Activity,
    pub products: Vec<ProductLine>,
    pub customer_contact: Option<Contact>,
    pub technical_contact: Option<Contact>,
    pub partner_contact: Option<PartnerContact>,
    pub revenue: Option<Revenue>,
}

/// The most products one claim may list: more than the catalog holds today, so only a
/// runaway client meets it.
pub const MAX_PRODUCTS: usize = 50;

/// Names of the fields, as the API and errors use them.
pub mod field {
    pub const NAME: &str = "name";
    pub const MPN_ID: &str = "mpn_id";
    pub const TENANT_ID: &str = "tenant_id";
    pub const DOMAIN: &str = "domain";
    pub const SOLUTION_AREA: &str = "solution_area";
    pub const ACTIVITY: &str = "activity";
    pub const PRODUCTS: &str = "products";
    pub const CUSTOMER_CONTACT: &str = "customer_contact";
    pub const TECHNICAL_CONTACT: &str = "technical_contact";
    pub const PARTNER_CONTACT: &str = "partner_contact";
    pub const REVENUE: &str = "revenue";
    /// What a partner may still change once the claim is submitted, while it is Submitted
    /// or Partner action required (docs/product.md, lifecycle); everything else is fixed.
    pub const EDITABLE_AFTER_SUBMIT: [&str; 5] = [
        MPN_ID,
        PRODUCTS,
        CUSTOMER_CONTACT,
        TECHNICAL_CONTACT,
        PARTNER_CONTACT,
    ];
}

// ----- raw input -------------------------------------------------------------------------

/// A contact as sent by a client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `en`, `fr`, `pt-BR` or `sv`; the customer contact only. Blank means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The revenue-association fields as sent by a client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueInput {
    #[serde(default)]
    pub solution_seller_name: Option<String>,
    #[serde(default)]
    pub customer_name: Option<String>,
    #[serde(default)]
    pub isv_product_name: Option<String>,
}

/// A product line as sent by a client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductLineInput {
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub subscription_id: Option<String>,
}

/// The body of a create or a partial update: every field may be left out (unchanged),
/// null (cleared) or given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub name: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub mpn_id: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub tenant_id: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub domain: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub solution_area: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub activity: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub products: Patch<Vec<ProductLineInput>>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub customer_contact: Patch<ContactInput>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub technical_contact: Patch<ContactInput>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub partner_contact: Patch<ContactInput>,
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub revenue: Patch<RevenueInput>,
}

/// A parsed update: each given field holds a valid value. `Null` is kept only for the
/// fields that may be empty in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimPatch {
    pub name: Option<ClaimName>,
    pub mpn_id: Option<MpnId>,
    pub tenant_id: Option<TenantId>,
    pub domain: Option<DomainName>,
    pub solution_area: Option<SolutionArea>,
    pub activity: Option<Activity>,
    pub products: Option<Vec<ProductLine>>,
    pub customer_contact: Option<Option<Contact>>,
    pub technical_contact: Option<Option<Contact>>,
    pub partner_contact: Option<Option<PartnerContact>>,
    pub revenue: Option<Option<Revenue>>,
}

fn required_scalar<T: Parse>(
    field: &str,
    p: &Patch<String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match p {
        Patch::Absent => None,
        Patch::Null => {
            errors.push(FieldError::new(
                field,
                ErrorCode::Required,
                format!("The {field} cannot be empty."),
            ));
            None
        }
        Patch::Value(raw) => T::parse_field(field, raw).map_err(|e| errors.push(e)).ok(),
    }
}

fn sub<T: Parse>(
    prefix: &str,
    name: &str,
    raw: &Option<String>,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let field = format!("{prefix}.{name}");
    match raw {
        None => {
            errors.push(FieldError::new(
                field,
                ErrorCode::Required,
                format!("The {name} is required."),
            ));
            None
        }
        Some(r) => T::parse_field(&field, r).map_err(|e| errors.push(e)).ok(),
    }
}

/// Whether a contact may carry a language: only the customer contact is written to by
/// cpor in a language of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Allowed,
    Refused,
}

/// A contact's language: blank is none; on a contact cpor does not write to in its own
/// language (technical, partner) any language is refused as `not_applicable`, so a
/// client learns the value would have no effect.
fn language(
    prefix: &str,
    raw: &Option<String>,
    rule: Language,
    errors: &mut Vec<FieldError>,
) -> Option<ContactLanguage> {
    let raw = raw.as_deref().filter(|r| !r.trim().is_empty())?;
    let field = format!("{prefix}.language");
    match rule {
        Language::Allowed => ContactLanguage::parse_field(&field, raw)
            .map_err(|e| errors.push(e))
            .ok(),
        Language::Refused => {
            errors.push(FieldError::new(
                field,
                ErrorCode::NotApplicable,
                "Only the customer contact has a language (the consent e-mail and page use it).",
            ));
            None
        }
    }
}

fn contact(
    prefix: &str,
    c: &ContactInput,
    rule: Language,
    errors: &mut Vec<FieldError>,
) -> Option<Contact> {
    let name = sub::<PersonName>(prefix, "name", &c.name, errors);
    let title = sub::<Title>(prefix, "title", &c.title, errors);
    let email = sub::<Email>(prefix, "email", &c.email, errors);
    let language = language(prefix, &c.language, rule, errors);
    Some(Contact {
        name: name?,
        title: title?,
        email: email?,
        language,
    })
}

fn partner_contact(
    prefix: &str,
    c: &ContactInput,
    errors: &mut Vec<FieldError>,
) -> Option<PartnerContact> {
    if c.title.is_some() {
        errors.push(FieldError::new(
            format!("{prefix}.title"),
            ErrorCode::NotApplicable,
            "The partner contact has a name and an e-mail address only.",
        ));
    }
    let name = sub::<PersonName>(prefix, "name", &c.name, errors);
    let email = sub::<Email>(prefix, "email", &c.email, errors);
    language(prefix, &c.language, Language::Refused, errors);
    Some(PartnerContact {
        name: name?,
        email: email?,
    })
}

fn revenue(r: &RevenueInput, errors: &mut Vec<FieldError>) -> Option<Revenue> {
    let p = field::REVENUE;
    let a = sub::<FreeText>(p, "solution_seller_name", &r.solution_seller_name, errors);
    let b = sub::<FreeText>(p, "customer_name", &r.customer_name, errors);
    let c = sub::<FreeText>(p, "isv_product_name", &r.isv_product_name, errors);
    Some(Revenue {
        solution_seller_name: a?,
        customer_name: b?,
        isv_product_name: c?,
    })
}

fn optional_section<I, T>(
    p: &Patch<I>,
    parse: impl FnOnce(&I, &mut Vec<FieldError>) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Option<Option<T>> {
    match p {
        Patch::Absent => None,
        Patch::Null => Some(None),
        Patch::Value(v) => {
            let before = errors.len();
            let parsed = parse(v, errors);
            if errors.len() == before {
                parsed.map(Some)
            } else {
                None
            }
        }
    }
}

fn products(
    lines: &Patch<Vec<ProductLineInput>>,
    errors: &mut Vec<FieldError>,
) -> Option<Vec<ProductLine>> {
    let lines = match lines {
        Patch::Absent => return None,
        Patch::Null => return Some(Vec::new()),
        Patch::Value(v) => v,
    };
    if lines.len() > MAX_PRODUCTS {
        errors.push(FieldError::new(
            field::PRODUCTS,
            ErrorCode::TooManyValues,
            format!(
                "A claim lists at most {MAX_PRODUCTS} products; this one lists {}.",
                lines.len()
            ),
        ));
        return None;
    }
    let before = errors.len();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let prefix = format!("{}[{i}]", field::PRODUCTS);
        let product = sub::<ProductId>(&prefix, "product", &line.product, errors);
        let subscription_id = match &line.subscription_id {
            None => None,
            Some(raw) if raw.trim().is_empty() => None,
            Some(raw) => SubscriptionId::parse_field(&format!("{prefix}.subscription_id"), raw)
                .map_err(|e| errors.push(e))
                .ok(),
        };
        if let Some(product) = product {
            out.push(ProductLine {
                product,
                subscription_id,
            });
        }
    }
    (errors.len() == before).then_some(out)
}

impl ClaimInput {
    /// Parses every given field, reporting all errors together.
    pub fn parse(&self) -> Result<ClaimPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let patch = ClaimPatch {
            name: required_scalar(field::NAME, &self.name, e),
            mpn_id: required_scalar(field::MPN_ID, &self.mpn_id, e),
            tenant_id: required_scalar(field::TENANT_ID, &self.tenant_id, e),
            domain: required_scalar(field::DOMAIN, &self.domain, e),
            solution_area: required_scalar(field::SOLUTION_AREA, &self.solution_area, e),
            activity: required_scalar(field::ACTIVITY, &self.activity, e),
            products: products(&self.products, e),
            customer_contact: optional_section(
                &self.customer_contact,
                |c, e| contact(field::CUSTOMER_CONTACT, c, Language::Allowed, e),
                e,
            ),
            technical_contact: optional_section(
                &self.technical_contact,
                |c, e| contact(field::TECHNICAL_CONTACT, c, Language::Refused, e),
                e,
            ),
            partner_contact: optional_section(
                &self.partner_contact,
                |c, e| partner_contact(field::PARTNER_CONTACT, c, e),
                e,
            ),
            revenue: optional_section(&self.revenue, revenue, e),
        };
        if errors.is_empty() {
            Ok(patch)
        } else {
            Err(errors)
        }
    }
}

impl ClaimPatch {
    /// The fields of a new claim: the six of the first step are required.
    pub fn into_new_fields(self) -> Result<ClaimFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let missing = |name: &str, errors: &mut Vec<FieldError>| {
            errors.push(FieldError::new(
                name,
                ErrorCode::Required,
                format!("The {name} is required to create a claim."),
            ))
        };
        if self.name.is_none() {
            missing(field::NAME, &mut errors);
        }
        if self.mpn_id.is_none() {
            missing(field::MPN_ID, &mut errors);
        }
        if self.tenant_id.is_none() {
            missing(field::TENANT_ID, &mut errors);
        }
        if self.domain.is_none() {
            missing(field::DOMAIN, &mut errors);
        }
        if self.solution_area.is_none() {
            missing(field::SOLUTION_AREA, &mut errors);
        }
        if self.activity.is_none() {
            missing(field::ACTIVITY, &mut errors);
        }
        match (
            self.name,
            self.mpn_id,
            self.tenant_id,
            self.domain,
            self.solution_area,
            self.activity,
        ) {
            (
                Some(name),
                Some(mpn_id),
                Some(tenant_id),
                Some(domain),
                Some(solution_area),
                Some(activity),
            ) => Ok(ClaimFields {
                name,
                mpn_id,
                tenant_id,
                domain,
                solution_area,
                activity,
                products: self.products.unwrap_or_default(),
                customer_contact: self.customer_contact.flatten(),
                technical_contact: self.technical_contact.flatten(),
                partner_contact: self.partner_contact.flatten(),
                revenue: self.revenue.flatten(),
            }),
            _ => Err(errors),
        }
    }

    /// The names of the fields this update gives, in API order.
    pub fn given_fields(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut add = |given: bool, name| {
            if given {
                out.push(name)
            }
        };
        add(self.name.is_some(), field::NAME);
        add(self.mpn_id.is_some(), field::MPN_ID);
        add(self.tenant_id.is_some(), field::TENANT_ID);
        add(self.domain.is_some(), field::DOMAIN);
        add(self.solution_area.is_some(), field::SOLUTION_AREA);
        add(self.activity.is_some(), field::ACTIVITY);
        add(self.products.is_some(), field::PRODUCTS);
        add(self.customer_contact.is_some(), field::CUSTOMER_CONTACT);
        add(self.technical_contact.is_some(), field::TECHNICAL_CONTACT);
        add(self.partner_contact.is_some(), field::PARTNER_CONTACT);
        add(self.revenue.is_some(), field::REVENUE);
        out
    }
}

impl ClaimFields {
    /// The fields after an update.
    pub fn merged(&self, p: &ClaimPatch) -> ClaimFields {
        let mut f = self.clone();
        if let Some(v) = &p.name {
            f.name = v.clone();
        }
        if let Some(v) = &p.mpn_id {
            f.mpn_id = v.clone();
        }
        if let Some(v) = p.tenant_id {
            f.tenant_id = v;
        }
        if let Some(v) = &p.domain {
            f.domain = v.clone();
        }
        if let Some(v) = p.solution_area {
            f.solution_area = v;
        }
        if let Some(v) = p.activity {
            f.activity = v;
        }
        if let Some(v) = &p.products {
            f.products = v.clone();
        }
        if let Some(v) = &p.customer_contact {
            f.customer_contact = v.clone();
        }
        if let Some(v) = &p.technical_contact {
            f.technical_contact = v.clone();
        }
        if let Some(v) = &p.partner_contact {
            f.partner_contact = v.clone();
        }
        if let Some(v) = &p.revenue {
            f.revenue = v.clone();
        }
        f
    }

    /// Each top-level field as JSON, in API order: what an edit's before/after shows.
    pub fn to_field_values(&self) -> Vec<(&'static str, serde_json::Value)> {
        let j = |v: serde_json::Result<serde_json::Value>| v.unwrap_or(serde_json::Value::Null);
        vec![
            (field::NAME, j(serde_json::to_value(&self.name))),
            (field::MPN_ID, j(serde_json::to_value(&self.mpn_id))),
            (field::TENANT_ID, j(serde_json::to_value(self.tenant_id))),
            (field::DOMAIN, j(serde_json::to_value(&self.domain))),
            (
                field::SOLUTION_AREA,
                j(serde_json::to_value(self.solution_area)),
            ),
            (field::ACTIVITY, j(serde_json::to_value(self.activity))),
            (field::PRODUCTS, j(serde_json::to_value(&self.products))),
            (
                field::CUSTOMER_CONTACT,
                j(serde_json::to_value(&self.customer_contact)),
            ),
            (
                field::TECHNICAL_CONTACT,
                j(serde_json::to_value(&self.technical_contact)),
            ),
            (
                field::PARTNER_CONTACT,
                j(serde_json::to_value(&self.partner_contact)),
            ),
            (field::REVENUE, j(serde_json::to_value(&self.revenue))),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: serde_json::Value) -> ClaimInput {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn every_bad_field_is_reported_at_once_with_its_path() {
        let i = input(serde_json::json!({
            "name": "",
            "mpn_id": "12a",
            "tenant_id": "nope",
            "domain": "contoso",
            "solution_area": "m365",
            "activity": "usage",
            "products": [{"product": "Teams"}, {"subscription_id": "x"}],
            "customer_contact": {"name": "Ana", "email": "ana@"},
            "partner_contact": {"name": "Bo", "email": "bo@fabrikam.com", "title": "CEO"},
        }));
        let errs = i.parse().unwrap_err();
        let got: Vec<(&str, ErrorCode)> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("name", ErrorCode::Required),
                ("mpn_id", ErrorCode::InvalidFormat),
                ("tenant_id", ErrorCode::InvalidFormat),
                ("domain", ErrorCode::InvalidFormat),
                ("solution_area", ErrorCode::InvalidEnumValue),
                ("products[0].product", ErrorCode::InvalidFormat),
                ("products[1].product", ErrorCode::Required),
                ("products[1].subscription_id", ErrorCode::InvalidFormat),
                ("customer_contact.title", ErrorCode::Required),
                ("customer_contact.email", ErrorCode::InvalidFormat),
                ("partner_contact.title", ErrorCode::NotApplicable),
            ]
        );
    }

    #[test]
    fn left_out_fields_are_unchanged_and_null_clears_optional_sections() {
        let p = input(serde_json::json!({"technical_contact": null, "name": "New"}))
            .parse()
            .unwrap();
        assert_eq!(p.technical_contact, Some(None));
        assert_eq!(p.customer_contact, None);
        assert_eq!(p.given_fields(), vec!["name", "technical_contact"]);
        let e = input(serde_json::json!({"tenant_id": null}))
            .parse()
            .unwrap_err();
        assert_eq!(
            (e[0].field.as_str(), e[0].code),
            ("tenant_id", ErrorCode::Required)
        );
    }

    #[test]
    fn creating_needs_the_six_fields_of_the_first_step() {
        let errs = input(serde_json::json!({"name": "x", "domain": "contoso.com"}))
            .parse()
            .unwrap()
            .into_new_fields()
            .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["mpn_id", "tenant_id", "solution_area", "activity"]
        );
        assert!(errs.iter().all(|e| e.code == ErrorCode::Required));
    }

    #[test]
    fn the_customer_contact_may_have_one_of_four_languages() {
        let with = |language: serde_json::Value| {
            input(serde_json::json!({"customer_contact": {
                "name": "Ana", "title": "CIO", "email": "ana@contoso.com", "language": language
            }}))
            .parse()
        };
        for (raw, want) in [
            ("en", ContactLanguage::En),
            ("fr", ContactLanguage::Fr),
            ("pt-BR", ContactLanguage::PtBr),
            (" sv ", ContactLanguage::Sv),
        ] {
            let p = with(serde_json::json!(raw)).unwrap();
            let c = p.customer_contact.flatten().unwrap();
            assert_eq!(c.language, Some(want), "{raw}");
        }
        // Blank and null both mean "none": the partner's language is used.
        for blank in [serde_json::json!(""), serde_json::json!(null)] {
            let c = with(blank).unwrap().customer_contact.flatten().unwrap();
            assert_eq!(c.language, None);
        }
        for bad in ["de", "pt", "FR", "english"] {
            let e = with(serde_json::json!(bad)).unwrap_err();
            assert_eq!(
                (e[0].field.as_str(), e[0].code),
                ("customer_contact.language", ErrorCode::InvalidEnumValue),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_the_customer_contact_has_a_language() {
        let e = input(serde_json::json!({
            "technical_contact": {"name": "Bo", "title": "CTO", "email": "bo@contoso.com", "language": "fr"},
            "partner_contact": {"name": "Cy", "email": "cy@fabrikam.com", "language": "sv"},
        }))
        .parse()
        .unwrap_err();
        let got: Vec<(&str, ErrorCode)> = e.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("technical_contact.language", ErrorCode::NotApplicable),
                ("partner_contact.language", ErrorCode::NotApplicable),
            ]
        );
    }

    #[test]
    fn a_contact_stored_without_a_language_still_reads_and_is_written_the_same() {
        let old = serde_json::json!({"name": "Ana", "title": "CIO", "email": "ana@contoso.com"});
        let c: Contact = serde_json::from_value(old.clone()).unwrap();
        assert_eq!(c.language, None);
        assert_eq!(serde_json::to_value(&c).unwrap(), old);
        let fr = Contact {
            language: Some(ContactLanguage::Fr),
            ..c
        };
        assert_eq!(serde_json::to_value(&fr).unwrap()["language"], "fr");
    }

    #[test]
    fn unknown_fields_are_refused_by_the_input_type() {
        assert!(
            serde_json::from_value::<ClaimInput>(serde_json::json!({"status": "approved"}))
                .is_err()
        );
    }
}
