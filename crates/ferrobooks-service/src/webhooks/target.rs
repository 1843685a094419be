//! Where a webhook may be sent. Loopback, private, link-local (including
//! the cloud metadata address 169.254.169.254), shared, multicast and other
//! non-public addresses are refused unless the configuration allows them.
//! The check runs at registration and again at every delivery, on the
//! addresses the name resolves to then, and the delivery connects to the
//! address that was checked, so a name that re-resolves to a private
//! address (DNS rebinding) is refused too.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// A checked target: the URL, its host name and the address to connect to.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: reqwest::Url,
    pub host: String,
    pub addr: SocketAddr,
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (64..128).contains(&o[1]))
        || (o[0] == 192 && o[1] == 0 && o[2] == 0)
        || (o[0] == 198 && (18..20).contains(&o[1]))
        || o[0] >= 240)
}

/// Public IPv6 is global unicast (`2000::/3`) and nothing else, so
/// site-local `fec0::/10`, discard `100::/64`, IPv4-compatible `::a.b.c.d`
/// and IPv4-translated `::ffff:0:a.b.c.d` are refused by construction.
/// Forms that carry an IPv4 address are judged by that address: mapped
/// `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d` and 6to4 `2002:aabb:ccdd::`.
/// Inside `2000::/3`, the IETF protocol block `2001::/23` (Teredo among
/// them) and the documentation ranges are not public either.
fn public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    if s[0] == 0x0064 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return public_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return public_v4(embedded(s[1], s[2]));
    }
    let global_unicast = (s[0] & 0xe000) == 0x2000;
    let ietf_block = s[0] == 0x2001 && s[1] < 0x0200;
    let documentation = (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] & 0xfff0) == 0x3ff0;
    global_unicast && !ietf_block && !documentation
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

/// Parses and resolves `url`, refusing non-public targets unless allowed.
pub async fn resolve(url: &str, allow_private: bool) -> Result<Target, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("the URL must be http or https".into());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err("the URL must not carry credentials".into());
    }
    let host = parsed
        .host_str()
        .ok_or("the URL has no host")?
        .trim_matches(['[', ']'])
        .to_owned();
    let port = parsed
        .port_or_known_default()
        .ok_or("the URL has no port")?;
    let addrs: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| format!("{host} does not resolve: {e}"))?
            .collect(),
    };
    let first = *addrs
        .first()
        .ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private && let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
        return Err(format!(
            "{host} resolves to {}, which is not a public address",
            bad.ip()
        ));
    }
    Ok(Target {
        url: parsed,
        host,
        addr: first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        for bad in [
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
            "224.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::10.0.0.1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "::ffff:0:7f00:1",
            "fec0::1",
            "100::1",
            "2001::1",
            "2001:db8::1",
            "3fff::1",
            "ff02::1",
        ] {
            assert!(!is_public(bad.parse().unwrap()), "{bad}");
        }
        for good in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(is_public(good.parse().unwrap()), "{good}");
        }
    }

    #[tokio::test]
    async fn refuses_private_targets_unless_allowed() {
        assert!(resolve("http://127.0.0.1:9/x", false).await.is_err());
        assert!(resolve("http://localhost:9/x", false).await.is_err());
        assert!(resolve("http://[::1]:9/x", false).await.is_err());
        for embedded in [
            "http://[::127.0.0.1]/x",
            "http://[64:ff9b::a9fe:a9fe]/latest",
            "http://[2002:7f00:1::]/x",
            "http://[::ffff:0:7f00:1]/x",
            "http://[fec0::1]/x",
            "http://[100::1]/x",
        ] {
            assert!(resolve(embedded, false).await.is_err(), "{embedded}");
        }
        assert!(
            resolve("http://169.254.169.254/latest", false)
                .await
                .is_err()
        );
        assert!(resolve("ftp://example.com/", false).await.is_err());
        assert!(resolve("http://user:pw@8.8.8.8/", false).await.is_err());
        assert!(resolve("http://127.0.0.1:9/x", true).await.is_ok());
        assert!(resolve("https://8.8.8.8/hook", false).await.is_ok());
    }
}
