use super::SolutionArea;
use crate::error::{ErrorCode, FieldError};
use crate::values::Parse;
use serde::{Deserialize, Serialize};

/// A catalog product's stable id, such as `teams` or `dynamics_365_sales`: lower-case
/// letters, digits and underscores, 1 to 64 of them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProductId(String);

impl Parse for ProductId {
    const FIELD: &'static str = "product";

    fn parse_field(field: &str, raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                field,
                ErrorCode::Required,
                "A product is required.",
            ));
        }
        if s.len() > 64
            || !s
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(FieldError::new(
                field,
                ErrorCode::InvalidFormat,
                format!("\"{s}\" is not a product id such as teams or dynamics_365_sales."),
            ));
        }
        Ok(ProductId(s.to_string()))
    }
}

crate::text_backed!(ProductId);

/// A product or workload a partner can claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub name: String,
    pub solution_area: SolutionArea,
    /// Dynamics 365 products need a technical contact on the claim (docs/product.md, the claim).
    pub dynamics_365: bool,
    /// A retired product stays in the catalog for the claims that name it, but a claim
    /// cannot be created, edited or submitted with it (`invalid_state`).
    #[serde(default)]
    pub retired: bool,
}

/// The products of both solution areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    products: Vec<Product>,
}

const SEED: &[(&str, &str, SolutionArea, bool)] = &[
    (
        "exchange_online",
        "Exchange Online",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "sharepoint_online",
        "SharePoint Online",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "teams",
        "Microsoft Teams",
        SolutionArea::Microsoft365,
        false,
    ),
    ("onedrive", "OneDrive", SolutionArea::Microsoft365, false),
    (
        "intune",
        "Microsoft Intune",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "entra_id_p1",
        "Microsoft Entra ID P1",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "entra_id_p2",
        "Microsoft Entra ID P2",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "microsoft_365_apps",
        "Microsoft 365 Apps",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "defender_for_office_365",
        "Microsoft Defender for Office 365",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "windows_enterprise",
        "Windows Enterprise",
        SolutionArea::Microsoft365,
        false,
    ),
    (
        "dynamics_365_sales",
        "Dynamics 365 Sales",
        SolutionArea::BusinessApplications,
        true,
    ),
    (
        "dynamics_365_customer_service",
        "Dynamics 365 Customer Service",
        SolutionArea::BusinessApplications,
        true,
    ),
    (
        "dynamics_365_field_service",
        "Dynamics 365 Field Service",
        SolutionArea::BusinessApplications,
        true,
    ),
    (
        "dynamics_365_finance",
        "Dynamics 365 Finance",
        SolutionArea::BusinessApplications,
        true,
    ),
    (
        "dynamics_365_supply_chain_management",
        "Dynamics 365 Supply Chain Management",
        SolutionArea::BusinessApplications,
        true,
    ),
    (
        "dynamics_365_business_central",
        "Dynamics 365 Business Central",
        SolutionArea::BusinessApplications,
        true,
    ),
    (
        "power_apps",
        "Power Apps",
        SolutionArea::BusinessApplications,
        false,
    ),
    (
        "power_automate",
        "Power Automate",
        SolutionArea::BusinessApplications,
        false,
    ),
    (
        "power_bi_pro",
        "Power BI Pro",
        SolutionArea::BusinessApplications,
        false,
    ),
];

impl Default for Catalog {
    /// The seed catalog (docs/product.md, reference data).
    fn default() -> Self {
        Catalog {
            products: SEED
                .iter()
                .map(|(id, name, area, d365)| Product {
                    id: ProductId((*id).to_string()),
                    name: (*name).to_string(),
                    solution_area: *area,
                    dynamics_365: *d365,
                    retired: false,
                })
                .collect(),
        }
    }
}

impl Catalog {
    pub fn new(products: Vec<Product>) -> Self {
        Catalog { products }
    }

    pub fn products(&self) -> &[Product] {
        &self.products
    }

    pub fn get(&self, id: &ProductId) -> Option<&Product> {
        self.products.iter().find(|p| &p.id == id)
    }

    /// Adds a product or replaces the one with the same id.
    pub fn upsert(&mut self, product: Product) {
        match self.products.iter_mut().find(|p| p.id == product.id) {
            Some(p) => *p = product,
            None => self.products.push(product),
        }
    }

    /// The product's display name, or its id when the catalog no longer has it.
    pub fn name_of<'a>(&'a self, id: &'a ProductId) -> &'a str {
        self.get(id).map_or(id.as_str(), |p| p.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> ProductId {
        ProductId::parse(s).unwrap()
    }

    #[test]
    fn the_seed_catalog_has_the_products_of_spec_section_2() {
        let c = Catalog::default();
        let m365 = c
            .products()
            .iter()
            .filter(|p| p.solution_area == SolutionArea::Microsoft365)
            .count();
        let ba = c
            .products()
            .iter()
            .filter(|p| p.solution_area == SolutionArea::BusinessApplications)
            .count();
        assert_eq!((m365, ba), (10, 9));
        let d365: Vec<&str> = c
            .products()
            .iter()
            .filter(|p| p.dynamics_365)
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(d365.len(), 6);
        assert!(d365.iter().all(|p| p.starts_with("dynamics_365_")));
        assert!(!c.get(&id("power_bi_pro")).unwrap().dynamics_365);
    }

    #[test]
    fn product_ids_are_lower_snake_case() {
        assert!(ProductId::parse("Teams").is_err());
        assert!(ProductId::parse("power-apps").is_err());
        assert_eq!(ProductId::parse(" teams ").unwrap().as_str(), "teams");
    }
}
