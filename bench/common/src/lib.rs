//! What every benchmark client shares: arguments, timing, and the report line.

use std::time::{Duration, Instant};

pub const ENDPOINT_ARN: &str =
    "arn:aws:dms:us-east-1:123456789012:endpoint:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub const INSTANCE_ARN: &str = "arn:aws:dms:us-east-1:123456789012:rep:ZYXWVUTSRQPONMLKJIHGFEDCBA";
pub const AKID: &str = "AKIDEXAMPLE";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// What the floor program calls (the clients have a program per case).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// DeleteConnection: a small request, a small response.
    DeleteConnection,
    /// DescribeEndpoints with a large response (about 1,000 endpoints, 1 MB).
    DescribeEndpoints,
}

/// The number of endpoints the large DescribeEndpoints response holds
/// (`bench/describe_endpoints.py`); each client checks it parsed them all.
pub const ENDPOINTS: usize = 1000;

/// `<program> <port> <calls> [delete-connection|describe-endpoints]`.
pub fn args() -> (String, usize, Case) {
    let a: Vec<String> = std::env::args().collect();
    let port = a.get(1).cloned().unwrap_or_else(|| "8099".into());
    let calls = a.get(2).and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let case = match a.get(3).map(String::as_str) {
        None | Some("delete-connection") => Case::DeleteConnection,
        Some("describe-endpoints") => Case::DescribeEndpoints,
        Some(other) => panic!("unknown case {other}"),
    };
    (format!("http://127.0.0.1:{port}"), calls, case)
}

/// User + system CPU time of this process so far.
pub fn cpu_time() -> Duration {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we own; RUSAGE_SELF is always valid.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// Peak resident set size in KiB (`VmHWM` of `/proc/self/status`: `getrusage`'s
/// `ru_maxrss` survives `execve`, so a child would report its parent's peak).
pub fn max_rss_kib() -> i64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(-1)
}

/// Runs `call` `calls` times (after a short warm-up) and prints one line:
/// `calls=N elapsed_s=.. p50_us=.. p99_us=.. cpu_per_call_us=.. max_rss_kib=..`.
pub async fn run<F, Fut>(calls: usize, mut call: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..calls.min(200) / 2 {
        call().await;
    }
    let mut lat = Vec::with_capacity(calls);
    let cpu0 = cpu_time();
    let t0 = Instant::now();
    for _ in 0..calls {
        let t = Instant::now();
        call().await;
        lat.push(t.elapsed());
    }
    let elapsed = t0.elapsed();
    let cpu = cpu_time() - cpu0;
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e6;
    println!(
        "calls={calls} elapsed_s={:.3} p50_us={:.1} p99_us={:.1} cpu_per_call_us={:.1} max_rss_kib={}",
        elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        cpu.as_secs_f64() * 1e6 / calls as f64,
        max_rss_kib()
    );
}

/// `<program> <port> <bytes>`: the local server's URL and the object's size.
pub fn stream_args() -> (String, u64) {
    let a: Vec<String> = std::env::args().collect();
    let port = a.get(1).cloned().unwrap_or_else(|| "8099".into());
    let bytes = a.get(2).and_then(|n| n.parse().ok()).unwrap_or(1 << 30);
    (format!("http://127.0.0.1:{port}"), bytes)
}

/// Runs one streaming download (`download` returns the bytes it read) and prints
/// `bytes=N elapsed_s=.. mib_per_s=.. cpu_s=.. max_rss_kib=..`.
pub async fn stream<F, Fut>(bytes: u64, download: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = u64>,
{
    let cpu0 = cpu_time();
    let t0 = Instant::now();
    let got = download().await;
    let elapsed = t0.elapsed();
    assert_eq!(got, bytes, "the whole object");
    println!(
        "bytes={got} elapsed_s={:.3} mib_per_s={:.1} cpu_s={:.3} max_rss_kib={}",
        elapsed.as_secs_f64(),
        got as f64 / 1048576.0 / elapsed.as_secs_f64(),
        (cpu_time() - cpu0).as_secs_f64(),
        max_rss_kib()
    );
}
