//! Words for people: the four languages of the portal (Fluent files in `locales/`, one
//! per language per area, the same keys in each), how a request's language is chosen,
//! and how codes, statuses, reasons and times become words. The domain speaks in codes
//! only; this is the one place they become language.

use cpor_domain::jiff::Timestamp;
use cpor_domain::jiff::tz::TimeZone;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around placeables: they show up in copied text and
        // in tests, and our placeables are names and numbers.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    PtBr,
    Sv,
}

impl Lang {
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::PtBr, Lang::Sv];

    /// The BCP 47 tag: `en`, `fr`, `pt-BR`, `sv`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::PtBr => "pt-BR",
            Lang::Sv => "sv",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::PtBr => "Português (Brasil)",
            Lang::Sv => "Svenska",
        }
    }

    /// A tag as users and browsers write it (`fr-CA` is French, `pt` is Brazilian
    /// Portuguese, case does not matter); `None` for other languages.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "pt" => Some(Lang::PtBr),
            "sv" => Some(Lang::Sv),
            _ => None,
        }
    }

    /// The most preferred language of an `Accept-Language` header that we speak.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut choices: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let lang = Lang::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        choices.first().map(|c| c.2)
    }

    fn id(self) -> LanguageIdentifier {
        self.code().parse().unwrap_or_default()
    }
}

impl From<cpor_domain::claim::ContactLanguage> for Lang {
    fn from(l: cpor_domain::claim::ContactLanguage) -> Lang {
        use cpor_domain::claim::ContactLanguage as C;
        match l {
            C::En => Lang::En,
            C::Fr => Lang::Fr,
            C::PtBr => Lang::PtBr,
            C::Sv => Lang::Sv,
        }
    }
}

/// Words in one language, and times in the operator's time zone.
#[derive(Debug, Clone)]
pub struct I18n {
    pub lang: Lang,
    pub zone: TimeZone,
}

impl I18n {
    pub fn new(lang: Lang, zone: TimeZone) -> I18n {
        I18n { lang, zone }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.lang.id(), key)
    }

    /// The message `key` with named arguments.
    pub fn ta(&self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.lang.id(), key, &args)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.ta(key, &[(name, value.to_string())])
    }

    /// The message `key` with a count, so plural forms (`[one]`, `[few]`, …) are chosen by
    /// the language's rules.
    pub fn tn(&self, key: &str, name: &'static str, count: u64) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed(name), FluentValue::from(count));
        LOCALES.lookup_with_args(&self.lang.id(), key, &args)
    }

    /// A code of a domain enumeration in words: `prefix-code` (e.g. `status-draft`).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}-{code}"))
    }

    /// A date and time in the operator's zone, with the zone named.
    pub fn datetime(&self, t: Timestamp) -> String {
        let z = t.to_zoned(self.zone.clone());
        self.ta(
            "datetime",
            &[
                ("day", z.day().to_string()),
                ("month", self.t(&format!("month-{}", z.month()))),
                ("year", z.year().to_string()),
                ("time", z.strftime("%H:%M").to_string()),
                ("zone", self.zone_name()),
            ],
        )
    }

    /// A date in the operator's zone.
    pub fn date(&self, t: Timestamp) -> String {
        let z = t.to_zoned(self.zone.clone());
        self.ta(
            "date",
            &[
                ("day", z.day().to_string()),
                ("month", self.t(&format!("month-{}", z.month()))),
                ("year", z.year().to_string()),
            ],
        )
    }

    pub fn zone_name(&self) -> String {
        self.zone.iana_name().unwrap_or("UTC").to_string()
    }

    /// A number with one decimal, written with the language's decimal mark.
    pub fn decimal(&self, n: f64) -> String {
        let s = format!("{n:.1}");
        match self.lang {
            Lang::En => s,
            Lang::Fr | Lang::PtBr | Lang::Sv => s.replace('.', ","),
        }
    }

    /// A whole number with the language's grouping (1,234 / 1 234 / 1.234).
    pub fn number(&self, n: u64) -> String {
        let sep = match self.lang {
            Lang::En => ",",
            Lang::Fr | Lang::Sv => "\u{a0}",
            Lang::PtBr => ".",
        };
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_most_preferred_language_we_speak() {
        assert_eq!(
            Lang::from_accept_language("de-DE, fr-CA;q=0.8, en;q=0.5"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("pt, en;q=0.9"), Some(Lang::PtBr));
        assert_eq!(
            Lang::from_accept_language("sv;q=0.2, en;q=0.9"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de, ja"), None);
        assert_eq!(Lang::from_accept_language("fr;q=0"), None);
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let zone = TimeZone::get("Europe/Stockholm").unwrap_or(TimeZone::UTC);
        let t: Timestamp = "2026-11-20T16:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let en = I18n::new(Lang::En, zone.clone());
        let fr = I18n::new(Lang::Fr, zone.clone());
        assert_eq!(en.number(1234567), "1,234,567");
        assert_eq!(fr.number(1234), "1\u{a0}234");
        assert_eq!(
            (en.decimal(2.25), fr.decimal(0.5)),
            ("2.2".to_string(), "0,5".to_string())
        );
        assert_eq!(en.tn("business-days-left", "count", 1), "1 business day");
        assert_eq!(en.tn("business-days-left", "count", 3), "3 business days");
        assert_eq!(en.datetime(t), "20 November 2026, 17:00 (Europe/Stockholm)");
        assert_eq!(fr.datetime(t), "20 novembre 2026, 17:00 (Europe/Stockholm)");
    }
}
