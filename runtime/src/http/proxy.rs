//! Which proxy a request goes through: `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and
//! `NO_PROXY` as botocore (Python's `urllib`) and curl read them, or given in code.
//!
//! The matching itself is hyper-util's `Matcher` (curl's `NO_PROXY` rules: host names,
//! domain suffixes, `*`, IP addresses and CIDR ranges); `NO_PROXY` entries with a port
//! (`host:8443`), which Python honours and hyper-util does not, are matched here.

use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use std::fmt;
use std::sync::Arc;

/// Where requests go through a proxy, and where not.
///
/// [`ProxyConfig::from_env`] is what a client uses unless configured otherwise
/// ([`ConfigBuilder::proxy`](crate::ConfigBuilder::proxy)). Credentials in a proxy URL
/// (`http://user:pass@proxy:3128`) are sent as `Proxy-Authorization: Basic` and never
/// shown by `Debug`, `Display`, tracing or errors.
#[derive(Clone)]
pub struct ProxyConfig {
    inner: Arc<Inner>,
}

struct Inner {
    matcher: Matcher,
    /// Whether any `http://` request can go through a forward proxy (so `intercept` is
    /// worth asking per request).
    forwards_http: bool,
    /// `NO_PROXY` entries with a port: (host or domain, port).
    no_ports: Vec<(String, u16)>,
    /// The proxy URLs without user info, for `Debug`.
    shown: Vec<(&'static str, String)>,
    no: String,
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ProxyConfig");
        for (k, v) in &self.inner.shown {
            d.field(k, v);
        }
        if !self.inner.no.is_empty() {
            d.field("no_proxy", &self.inner.no);
        }
        d.finish()
    }
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig::disabled()
    }
}

impl ProxyConfig {
    /// No proxy for anything.
    pub fn disabled() -> Self {
        ProxyConfigBuilder::default().build()
    }

    /// A builder, to name proxies in code.
    pub fn builder() -> ProxyConfigBuilder {
        ProxyConfigBuilder::default()
    }

    /// From the process environment ([`from_vars`](Self::from_vars)).
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// From the variables `get` looks up (`Config::from_env_vars` passes its own), as
    /// Python's `urllib.request.getproxies` reads them for
    /// botocore: `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy`, the lower-case
    /// name winning over the upper-case one (an empty lower-case one unsets it), and
    /// `HTTP_PROXY` ignored when `REQUEST_METHOD` is set (a CGI program, where a client's
    /// `Proxy:` header would arrive as `HTTP_PROXY`). `all_proxy` serves the schemes with
    /// no proxy of their own, as curl reads it.
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Self {
        let cgi = get("REQUEST_METHOD").is_some();
        let var = |name: &str| match get(&name.to_ascii_lowercase()) {
            Some(v) => Some(v).filter(|v| !v.is_empty()),
            None if cgi && name == "HTTP_PROXY" => None,
            None => get(name).filter(|v| !v.is_empty()),
        };
        let mut b = ProxyConfig::builder();
        b.http = var("HTTP_PROXY");
        b.https = var("HTTPS_PROXY");
        b.all = var("ALL_PROXY");
        b.no = var("NO_PROXY").unwrap_or_default();
        b.build()
    }

    /// Whether any proxy is configured.
    pub fn is_enabled(&self) -> bool {
        !self.inner.shown.is_empty()
    }

    /// Whether an `http://` request may go through a forward proxy (`HTTP_PROXY` or
    /// `ALL_PROXY` is set): the transport asks [`intercept`](Self::intercept) per request
    /// only then.
    pub(crate) fn forwards_http(&self) -> bool {
        self.inner.forwards_http
    }

    /// The proxy for `uri`, if it goes through one.
    pub(crate) fn intercept(&self, uri: &http::Uri) -> Option<Intercept> {
        let host = uri.host()?;
        let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
            Some("https") => 443,
            _ => 80,
        });
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if self
            .inner
            .no_ports
            .iter()
            .any(|(h, p)| *p == port && domain_matches(h, host))
        {
            return None;
        }
        self.inner.matcher.intercept(uri)
    }
}

/// `host` is `rule` or a subdomain of it (a leading dot on the rule is ignored).
fn domain_matches(rule: &str, host: &str) -> bool {
    let rule = rule.trim_start_matches('.');
    host.eq_ignore_ascii_case(rule)
        || (host.len() > rule.len()
            && host.as_bytes()[host.len() - rule.len() - 1] == b'.'
            && host[host.len() - rule.len()..].eq_ignore_ascii_case(rule))
}

/// Names proxies in code; unset schemes go direct.
#[derive(Default)]
pub struct ProxyConfigBuilder {
    http: Option<String>,
    https: Option<String>,
    all: Option<String>,
    no: String,
}

impl fmt::Debug for ProxyConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfigBuilder").finish_non_exhaustive()
    }
}

impl ProxyConfigBuilder {
    /// The proxy of `http://` endpoints (requests are forwarded with absolute URIs).
    pub fn http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(url.into());
        self
    }

    /// The proxy of `https://` endpoints (a `CONNECT` tunnel; TLS to the endpoint runs
    /// through it).
    pub fn https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self
    }

    /// The proxy of both schemes, where no scheme-specific one is set.
    pub fn all(mut self, url: impl Into<String>) -> Self {
        self.all = Some(url.into());
        self
    }

    /// Hosts that go direct, as `NO_PROXY` lists them: comma-separated host names and
    /// domain suffixes (`example.com` and `.example.com` both match `a.example.com`),
    /// `*`, IP addresses, CIDR ranges, and any of the names with `:port`.
    pub fn no_proxy(mut self, list: impl Into<String>) -> Self {
        self.no = list.into();
        self
    }

    /// The configuration.
    pub fn build(self) -> ProxyConfig {
        let mut no_ports = Vec::new();
        let mut no_rest = Vec::new();
        for entry in self.no.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            match port_rule(entry) {
                Some(rule) => no_ports.push(rule),
                None => no_rest.push(entry),
            }
        }
        let mut m = Matcher::builder().no(no_rest.join(","));
        let mut shown = Vec::new();
        for (name, url) in [
            ("http", &self.http),
            ("https", &self.https),
            ("all", &self.all),
        ] {
            if let Some(url) = url {
                shown.push((name, crate::endpoint::redact_userinfo(url).into_owned()));
                m = match name {
                    "http" => m.http(url.clone()),
                    "https" => m.https(url.clone()),
                    _ => m.all(url.clone()),
                };
            }
        }
        let forwards_http = self.http.is_some() || self.all.is_some();
        ProxyConfig {
            inner: Arc::new(Inner {
                matcher: m.build(),
                forwards_http,
                no_ports,
                shown,
                no: self.no,
            }),
        }
    }
}

/// `host:port` (not an IPv6 address) as a rule.
fn port_rule(entry: &str) -> Option<(String, u16)> {
    let (host, port) = entry.rsplit_once(':')?;
    if host.contains(':') && !host.ends_with(']') {
        return None;
    }
    let port = port.parse().ok()?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Some((host.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_pairs(pairs: &[(&str, &str)]) -> ProxyConfig {
        ProxyConfig::from_vars(|name| {
            let found = pairs.iter().find(|(k, _)| *k == name);
            found.map(|(_, v)| v.to_string())
        })
    }

    fn proxied(c: &ProxyConfig, url: &str) -> Option<String> {
        c.intercept(&url.parse().unwrap())
            .map(|i| i.uri().to_string())
    }

    #[test]
    fn variables_are_read_as_python_reads_them() {
        let c = from_pairs(&[
            ("HTTP_PROXY", "http://upper:1"),
            ("http_proxy", "http://lower:2"),
            ("HTTPS_PROXY", "http://secure:3"),
        ]);
        assert_eq!(
            proxied(&c, "http://a.example/").as_deref(),
            Some("http://lower:2/")
        );
        assert_eq!(
            proxied(&c, "https://a.example/").as_deref(),
            Some("http://secure:3/")
        );
        // An empty lower-case variable unsets the upper-case one.
        let c = from_pairs(&[("HTTPS_PROXY", "http://secure:3"), ("https_proxy", "")]);
        assert_eq!(proxied(&c, "https://a.example/"), None);
        assert!(!c.is_enabled());
        // A CGI program ignores HTTP_PROXY (httpoxy), not http_proxy.
        let cgi = [("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")];
        let c = from_pairs(&cgi);
        assert_eq!(proxied(&c, "http://a.example/"), None);
        // ALL_PROXY serves both schemes where no scheme has its own.
        let c = from_pairs(&[
            ("ALL_PROXY", "http://all:4"),
            ("HTTPS_PROXY", "http://secure:3"),
        ]);
        assert_eq!(
            proxied(&c, "http://a.example/").as_deref(),
            Some("http://all:4/")
        );
        assert_eq!(
            proxied(&c, "https://a.example/").as_deref(),
            Some("http://secure:3/")
        );
    }

    #[test]
    fn no_proxy_names_hosts_domains_addresses_ranges_and_ports() {
        let c = ProxyConfig::builder()
            .all("http://proxy:3128")
            .no_proxy("internal.example, .corp.example, 10.0.0.0/8, 192.168.1.7, ::1, svc.example:8443, [fd00::1]:9000")
            .build();
        for direct in [
            "https://internal.example/",
            "https://a.b.internal.example/",
            "https://corp.example/",
            "https://x.corp.example/",
            "http://10.1.2.3:8080/",
            "http://192.168.1.7/",
            "http://[::1]:80/",
            "https://svc.example:8443/",
            "https://a.svc.example:8443/",
            "http://[fd00::1]:9000/",
        ] {
            assert_eq!(proxied(&c, direct), None, "{direct}");
        }
        for via in [
            "https://notinternal.example/",
            "https://internal.example.com/",
            "http://11.0.0.1/",
            "http://192.168.1.8/",
            "https://svc.example/",
            "https://svc.example:8444/",
            "http://[fd00::1]:9001/",
        ] {
            assert!(proxied(&c, via).is_some(), "{via}");
        }
        let all = ProxyConfig::builder()
            .all("http://p:1")
            .no_proxy("*")
            .build();
        assert_eq!(proxied(&all, "https://anything.example/"), None);
    }

    #[test]
    fn credentials_are_sent_and_never_shown() {
        let c = ProxyConfig::builder()
            .https("http://user:s3cr%40t@proxy.example:3128")
            .build();
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr"), "{shown}");
        assert!(shown.contains("proxy.example:3128"), "{shown}");
        let i = c
            .intercept(&"https://dms.example/".parse().unwrap())
            .unwrap();
        // user:s3cr@t
        assert_eq!(i.basic_auth().unwrap(), "Basic dXNlcjpzM2NyQHQ=");
        assert!(!format!("{i:?}").contains("s3cr"));
    }
}
