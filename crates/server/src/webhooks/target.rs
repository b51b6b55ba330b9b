//! Where a webhook may point. Only http(s) URLs without credentials, and, unless the
//! operator allows it (`--webhook-allow-private`), none whose host resolves to a
//! loopback, private, link-local or otherwise internal address: a registered URL must
//! not let anyone reach the service's own network (server-side request forgery). The
//! check runs when an endpoint is registered and again before each delivery, since a
//! name can resolve elsewhere later.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::Url;

/// Why a target is refused, in words for the `url` field.
pub type Refusal = String;

/// How long resolving a host may take.
const LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// The URL, parsed, if cpor may deliver to it.
pub async fn check(raw: &str, allow_private: bool) -> Result<Url, Refusal> {
    let url = Url::parse(raw.trim()).map_err(|e| format!("Not a URL: {e}."))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("Use an http:// or https:// URL.".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Put no credentials in the URL: verify the signature instead.".into());
    }
    let host = url
        .host_str()
        .ok_or_else(|| "The URL names no host.".to_string())?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = tokio::net::lookup_host((host.as_str(), port));
    let addrs: Vec<IpAddr> = tokio::time::timeout(LOOKUP_TIMEOUT, lookup)
        .await
        .map_err(|_| format!("The host {host} could not be resolved in time."))?
        .map_err(|e| format!("The host {host} cannot be resolved: {e}."))?
        .map(|a| a.ip())
        .collect();
    if addrs.is_empty() {
        return Err(format!("The host {host} resolves to no address."));
    }
    if !allow_private && let Some(ip) = addrs.iter().find(|ip| internal(ip)) {
        return Err(format!(
            "The host {host} resolves to {ip}, a loopback, private or internal address; webhooks go to public addresses only."
        ));
    }
    Ok(url)
}

/// Loopback, private, link-local, shared, unspecified, multicast, broadcast or
/// documentation addresses.
pub fn internal(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => internal_v4(&v4),
            None => internal_v6(v6),
        },
    }
}

fn internal_v4(ip: &Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240
}

fn internal_v6(ip: &Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(internal(&ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "151.101.1.1"] {
            assert!(!internal(&ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn loopback_and_odd_urls_are_refused_unless_allowed() {
        for (url, says) in [
            ("http://127.0.0.1:9000/hook", "loopback"),
            ("http://localhost/hook", "loopback"),
            ("http://[::1]/hook", "loopback"),
            ("ftp://example.com/hook", "http"),
            ("https://user:pw@example.com/", "credentials"),
            ("not a url", "Not a URL"),
        ] {
            let refused = check(url, false).await.unwrap_err();
            assert!(refused.contains(says), "{url}: {refused}");
        }
        assert!(check("http://127.0.0.1:9000/hook", true).await.is_ok());
    }
}
