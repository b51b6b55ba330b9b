//! The tenant directory's CSV files. Every row is checked; any bad row is reported with
//! its line number and nothing of the files is imported.

use cpor_domain::jiff::civil::Date;
use cpor_domain::reference::{Channel, ProductId, Subscription, SubscriptionState, TenantRecord};
use cpor_domain::values::{DomainName, Parse, SubscriptionId, TenantId};
use cpor_store::Store;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

fn rows(path: &Path, header: &[&str]) -> Result<Vec<(u64, csv::StringRecord)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let found: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    if found != header {
        return Err(format!(
            "{}: line 1: the header must be {}",
            path.display(),
            header.join(",")
        ));
    }
    let mut out = Vec::new();
    for r in reader.records() {
        let r = r.map_err(|e| format!("{}: {e}", path.display()))?;
        let line = r.position().map_or(0, |p| p.line());
        out.push((line, r));
    }
    Ok(out)
}

/// Reads the files into tenant records. Tenants named only in the subscriptions file keep
/// the domains the directory already has.
pub async fn read(
    store: &Arc<dyn Store>,
    tenants: &Path,
    subscriptions: Option<&Path>,
) -> Result<Vec<TenantRecord>, String> {
    let mut errors = Vec::new();
    let mut records: BTreeMap<TenantId, TenantRecord> = BTreeMap::new();
    let mut domain_owner: BTreeMap<DomainName, TenantId> = BTreeMap::new();
    let reference = store.reference().await.map_err(|e| e.to_string())?;
    let where_ = |p: &Path, line: u64| format!("{}: line {line}", p.display());

    for (line, r) in rows(tenants, &["tenant_id", "domain"])? {
        if r.len() != 2 {
            errors.push(format!(
                "{}: expected 2 fields, found {}",
                where_(tenants, line),
                r.len()
            ));
            continue;
        }
        let t = TenantId::parse(&r[0])
            .map_err(|e| errors.push(format!("{}: {e}", where_(tenants, line))))
            .ok();
        let d = DomainName::parse(&r[1])
            .map_err(|e| errors.push(format!("{}: {e}", where_(tenants, line))))
            .ok();
        if let (Some(t), Some(d)) = (t, d) {
            if let Some(owner) = domain_owner.insert(d.clone(), t).filter(|o| *o != t) {
                errors.push(format!(
                    "{}: domain {d} is already given to tenant {owner}",
                    where_(tenants, line)
                ));
            }
            let rec = records.entry(t).or_insert_with(|| TenantRecord {
                tenant_id: t,
                domains: Vec::new(),
                subscriptions: Vec::new(),
            });
            if !rec.domains.contains(&d) {
                rec.domains.push(d);
            }
        }
    }

    if let Some(path) = subscriptions {
        let header = [
            "tenant_id",
            "subscription_id",
            "product",
            "state",
            "channel",
            "starts_on",
            "ends_on",
        ];
        let mut seen = BTreeMap::new();
        for (line, r) in rows(path, &header)? {
            let at = where_(path, line);
            if r.len() != 7 {
                errors.push(format!("{at}: expected 7 fields, found {}", r.len()));
                continue;
            }
            let mut bad = |e: String| errors.push(format!("{at}: {e}"));
            let t = TenantId::parse(&r[0]).map_err(|e| bad(e.to_string())).ok();
            let s = SubscriptionId::parse(&r[1])
                .map_err(|e| bad(e.to_string()))
                .ok();
            let p = ProductId::parse(&r[2]).map_err(|e| bad(e.to_string())).ok();
            if let Some(p) = &p
                && reference.catalog.get(p).is_none()
            {
                bad(format!("product: {p} is not in the catalog"));
            }
            let state = SubscriptionState::parse(&r[3])
                .map_err(|e| bad(e.to_string()))
                .ok();
            let channel = Channel::parse(&r[4]).map_err(|e| bad(e.to_string())).ok();
            let starts = r[5]
                .parse::<Date>()
                .map_err(|_| {
                    bad(format!(
                        "starts_on: \"{}\" is not a date such as 2026-01-31",
                        &r[5]
                    ))
                })
                .ok();
            let ends = if r[6].is_empty() {
                Some(None)
            } else {
                r[6].parse::<Date>()
                    .map(Some)
                    .map_err(|_| {
                        bad(format!(
                            "ends_on: \"{}\" is not a date such as 2026-12-31",
                            &r[6]
                        ))
                    })
                    .ok()
            };
            if let (Some(a), Some(Some(b))) = (starts, ends)
                && b < a
            {
                bad("ends_on: the subscription ends before it starts".into());
            }
            if let Some(s) = s
                && let Some(prev) = seen.insert(s, line)
            {
                bad(format!("subscription_id: {s} is already on line {prev}"));
            }
            if let (
                Some(t),
                Some(id),
                Some(product),
                Some(state),
                Some(channel),
                Some(starts_on),
                Some(ends_on),
            ) = (t, s, p, state, channel, starts, ends)
            {
                if let std::collections::btree_map::Entry::Vacant(slot) = records.entry(t) {
                    match store.tenant(t).await.map_err(|e| e.to_string())? {
                        Some(existing) => {
                            slot.insert(TenantRecord {
                                subscriptions: Vec::new(),
                                ..existing
                            });
                        }
                        None => {
                            errors.push(format!("{at}: tenant {t} is neither in the tenants file nor in the directory"));
                            continue;
                        }
                    }
                }
                if let Some(rec) = records.get_mut(&t) {
                    rec.subscriptions.push(Subscription {
                        id,
                        product,
                        state,
                        channel,
                        starts_on,
                        ends_on,
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(records.into_values().collect())
    } else {
        Err(format!("nothing was imported:\n{}", errors.join("\n")))
    }
}
