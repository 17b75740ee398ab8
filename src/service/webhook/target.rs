//! Where a webhook may point. By default only `https://` URLs whose host resolves to public addresses
//! only: no loopback, private, link-local, shared (carrier-grade NAT), multicast or unspecified address,
//! so an endpoint cannot make Kartla call into the operator's own network. The check is made on the
//! addresses the delivery connects to (the client resolves through [`Resolver`]), so a name that changes
//! its answer after the endpoint was saved gains nothing; redirects are not followed. An operator who
//! needs `http://` or internal receivers (tests, a closed network) allows them with
//! `--webhook-allow-insecure-targets`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// The longest URL an endpoint may have.
pub const MAX_URL_LENGTH: usize = 2000;

/// `text` as an endpoint URL, or why it cannot be one. `allow_insecure` lets `http://` and non-public
/// IP addresses through.
pub fn check_url(text: &str, allow_insecure: bool) -> Result<Url, String> {
    if text.len() > MAX_URL_LENGTH {
        return Err(format!("a URL of at most {MAX_URL_LENGTH} characters"));
    }
    let url = Url::parse(text).map_err(|error| format!("not a URL: {error}"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure => {}
        "http" => return Err("only https:// URLs are allowed on this server".into()),
        _ => return Err("an https:// URL".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a URL without a user name or password: authenticate with the signature".into());
    }
    if url.fragment().is_some() {
        return Err("a URL without a #fragment".into());
    }
    let address = match url.host() {
        None => return Err("a URL with a host".into()),
        Some(Host::Domain(domain)) => {
            if !allow_insecure && (domain == "localhost" || domain.ends_with(".localhost")) {
                return Err(refused());
            }
            None
        }
        Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
    };
    if let Some(ip) = address
        && !allow_insecure
        && !is_public(ip)
    {
        return Err(refused());
    }
    Ok(url)
}

fn refused() -> String {
    "a public address: loopback, private and link-local addresses are not allowed on this server".into()
}

/// Whether `ip` is an address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => is_public_v4(ip),
        IpAddr::V6(ip) => match ip.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(ip),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || first == 0x2001 && ip.segments()[1] == 0x0db8
        || first == 0x0064 && ip.segments()[1] == 0xff9b)
}

/// The delivery client's name resolver: the system's answer without the addresses deliveries may not
/// reach.
#[derive(Clone, Copy, Debug)]
pub struct Resolver {
    /// Whether non-public addresses are allowed.
    pub allow_insecure: bool,
}

impl reqwest::dns::Resolve for Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_insecure = self.allow_insecure;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|address| allow_insecure || is_public(address.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_urls_pass_by_default() {
        for good in [
            "https://hooks.example.se/kartla",
            "https://93.184.216.34/x",
            "https://[2606:4700::1111]/",
        ] {
            assert!(check_url(good, false).is_ok(), "{good}");
        }
        for bad in [
            "http://hooks.example.se/",
            "ftp://example.se/",
            "https://localhost/",
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://user:pass@example.se/",
            "not a url",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
    }
}
