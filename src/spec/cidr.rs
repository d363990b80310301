//! IPv4 and IPv6 address ranges in CIDR notation: parsing and containment.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address range such as `203.0.113.0/24`, always in its canonical form (host bits zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    fn bits(&self) -> u8 {
        match self.network {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        }
    }

    fn as_u128(addr: IpAddr) -> u128 {
        match addr {
            IpAddr::V4(a) => u32::from(a) as u128,
            IpAddr::V6(a) => u128::from(a),
        }
    }

    fn mask(&self) -> u128 {
        let bits = self.bits() as u32;
        let host = bits - self.prefix as u32;
        let all = if bits == 128 {
            u128::MAX
        } else {
            (1u128 << bits) - 1
        };
        if host == 128 {
            0
        } else {
            all & !((1u128 << host) - 1)
        }
    }

    /// Whether `addr` lies inside this range.
    pub fn contains_addr(&self, addr: IpAddr) -> bool {
        self.network.is_ipv4() == addr.is_ipv4()
            && Self::as_u128(addr) & self.mask() == Self::as_u128(self.network)
    }

    /// Whether `other` lies entirely inside this range and is strictly smaller.
    pub fn strictly_contains(&self, other: &Cidr) -> bool {
        other.prefix > self.prefix && self.contains_addr(other.network)
    }

    /// Whether the range is one address (`/32`, `/128`).
    pub fn is_single_address(&self) -> bool {
        self.prefix == self.bits()
    }

    /// The prefix length: 0 is every address.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    pub fn is_ipv4(&self) -> bool {
        self.network.is_ipv4()
    }
}

impl FromStr for Cidr {
    type Err = String;

    /// `ADDRESS/PREFIX`, or a single `ADDRESS`, read as `/32` (IPv4) or `/128` (IPv6).
    fn from_str(text: &str) -> Result<Self, String> {
        let (addr, prefix) = text.split_once('/').unwrap_or((text, ""));
        let network: IpAddr = addr.parse().map_err(|_| {
            format!(
                "`{addr}` is not an IPv4 or IPv6 address: write an address range ADDRESS/PREFIX (e.g. 203.0.113.0/24) or one address (203.0.113.10)"
            )
        })?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match (prefix, text.contains('/')) {
            ("", false) => max.to_string(),
            (prefix, _) => prefix.to_string(),
        };
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(|| format!("`/{prefix}` is not a prefix length between 0 and {max}"))?;
        let cidr = Cidr { network, prefix };
        if Self::as_u128(network) & cidr.mask() != Self::as_u128(network) {
            return Err(format!(
                "`{text}` has host bits set: write the network address of the range"
            ));
        }
        Ok(cidr)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_contains() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains_addr("10.1.2.3".parse().unwrap()));
        assert!(!c.contains_addr("11.0.0.1".parse().unwrap()));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.strictly_contains(&c));
        assert!(!c.strictly_contains(&c));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains_addr("2001:db8::1".parse().unwrap()));
        assert!(!v6.contains_addr("10.0.0.1".parse().unwrap()));
        assert_eq!(v6.to_string(), "2001:db8::/32");
    }

    #[test]
    fn a_single_address_is_a_range_of_one() {
        let one: Cidr = "203.0.113.10".parse().unwrap();
        assert_eq!(one.to_string(), "203.0.113.10/32");
        assert!(one.contains_addr("203.0.113.10".parse().unwrap()));
        assert!(!one.contains_addr("203.0.113.11".parse().unwrap()));
        let v6: Cidr = "2001:db8::1".parse().unwrap();
        assert_eq!(v6.to_string(), "2001:db8::1/128");
        assert!(!v6.contains_addr("2001:db8::2".parse().unwrap()));
    }

    #[test]
    fn rejects_malformed_ranges() {
        for bad in [
            "10.0.0.0/",
            "10.0.0.1/8",
            "10.0.0.0/33",
            "300.0.0.0/8",
            "x/8",
            "::/129",
            "",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }
}
