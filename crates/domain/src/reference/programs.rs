use crate::string_enum;

string_enum!(
    /// The two solution areas (docs/product.md, reference data).
    SolutionArea, "solution_area", "solution area" {
        Microsoft365 = "microsoft_365",
        BusinessApplications = "business_applications",
    }
);

string_enum!(
    /// What the partner did for the customer (docs/product.md, the claim).
    Activity, "activity", "activity" {
        PreSales = "pre_sales",
        Usage = "usage",
        PreSalesAndUsage = "pre_sales_and_usage",
        /// Attribution only, no payment.
        RevenueAssociation = "revenue_association",
    }
);

string_enum!(
    /// The incentive programs a claim can count for (docs/product.md, reference data).
    Program, "program", "program" {
        /// Online Services Advisory Sell: pre-sales.
        OsaSell = "osa_sell",
        /// Online Services Usage, Microsoft 365.
        OsuM365 = "osu_m365",
        /// Online Services Usage, Business Applications.
        OsuBizapps = "osu_bizapps",
        /// Revenue association for Business Applications (attribution, no payment).
        RevenueAssociation = "revenue_association",
    }
);

impl SolutionArea {
    pub fn display_name(self) -> &'static str {
        match self {
            SolutionArea::Microsoft365 => "Microsoft 365",
            SolutionArea::BusinessApplications => "Business Applications",
        }
    }
}

impl Program {
    /// Whether the association key of this program names a workload rather than a
    /// subscription. Only OSU Microsoft 365 does (docs/product.md, association keys).
    pub fn keyed_by_workload(self) -> bool {
        self == Program::OsuM365
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Program::OsaSell => "Online Services Advisory Sell",
            Program::OsuM365 => "Online Services Usage – Microsoft 365",
            Program::OsuBizapps => "Online Services Usage – Business Applications",
            Program::RevenueAssociation => "Revenue association – Business Applications",
        }
    }
}

/// Which programs a solution area and activity count for. Reference data, with the
/// defaults listed in docs/product.md (reference data); an activity missing from the map
/// is not offered for that area.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProgramMap {
    entries: Vec<(SolutionArea, Activity, Vec<Program>)>,
}

impl Default for ProgramMap {
    fn default() -> Self {
        use Activity::*;
        use Program::*;
        use SolutionArea::*;
        ProgramMap {
            entries: vec![
                (Microsoft365, Usage, vec![OsuM365]),
                (BusinessApplications, PreSales, vec![OsaSell]),
                (BusinessApplications, Usage, vec![OsuBizapps]),
                (
                    BusinessApplications,
                    PreSalesAndUsage,
                    vec![OsaSell, OsuBizapps],
                ),
                (
                    BusinessApplications,
                    Activity::RevenueAssociation,
                    vec![Program::RevenueAssociation],
                ),
            ],
        }
    }
}

impl ProgramMap {
    /// The programs of an area and activity; `None` when the activity is not offered there.
    pub fn programs(&self, area: SolutionArea, activity: Activity) -> Option<&[Program]> {
        self.entries
            .iter()
            .find(|(a, act, _)| *a == area && *act == activity)
            .map(|(_, _, p)| p.as_slice())
    }

    /// The activities offered for an area, in map order.
    pub fn activities(&self, area: SolutionArea) -> Vec<Activity> {
        self.entries
            .iter()
            .filter(|(a, _, _)| *a == area)
            .map(|(_, act, _)| *act)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Parse;

    #[test]
    fn microsoft_365_offers_usage_only() {
        let m = ProgramMap::default();
        assert_eq!(
            m.activities(SolutionArea::Microsoft365),
            vec![Activity::Usage]
        );
        assert_eq!(
            m.programs(SolutionArea::Microsoft365, Activity::Usage),
            Some(&[Program::OsuM365][..])
        );
        assert_eq!(
            m.programs(SolutionArea::Microsoft365, Activity::PreSales),
            None
        );
    }

    #[test]
    fn business_applications_map_each_activity_to_its_programs() {
        let m = ProgramMap::default();
        let ba = SolutionArea::BusinessApplications;
        assert_eq!(
            m.programs(ba, Activity::PreSales),
            Some(&[Program::OsaSell][..])
        );
        assert_eq!(
            m.programs(ba, Activity::Usage),
            Some(&[Program::OsuBizapps][..])
        );
        assert_eq!(
            m.programs(ba, Activity::PreSalesAndUsage),
            Some(&[Program::OsaSell, Program::OsuBizapps][..])
        );
        assert_eq!(
            m.programs(ba, Activity::RevenueAssociation),
            Some(&[Program::RevenueAssociation][..])
        );
    }

    #[test]
    fn unknown_enum_values_list_the_allowed_ones() {
        let e = SolutionArea::parse("dynamics").unwrap_err();
        assert_eq!(e.code, crate::error::ErrorCode::InvalidEnumValue);
        assert!(
            e.message.contains("microsoft_365, business_applications"),
            "{}",
            e.message
        );
        assert_eq!(
            Activity::parse("").unwrap_err().code,
            crate::error::ErrorCode::Required
        );
    }
}
