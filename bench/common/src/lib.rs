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

/// A global allocator that counts live heap bytes and their peak, over the system
/// allocator: both sides of a heap comparison declare it, so that the figure is each
/// client's own allocations and nothing else.
///
/// ```ignore
/// #[global_allocator]
/// static HEAP: bench_common::Counting = bench_common::Counting;
/// ```
pub struct Counting;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Counting {
    fn grew(by: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let now = LIVE.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every call is forwarded to the system allocator unchanged; the counters only
// observe sizes.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc(layout);
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc_zeroed(layout);
        if !p.is_null() {
            Self::grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(p, layout);
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        let q = std::alloc::System.realloc(p, layout, new);
        if !q.is_null() {
            if new >= layout.size() {
                Self::grew(new - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new, std::sync::atomic::Ordering::Relaxed);
            }
        }
        q
    }
}

/// Live heap bytes now (0 unless the program declares [`Counting`]).
pub fn heap_live() -> usize {
    LIVE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Starts a new peak measurement from the live bytes now.
pub fn heap_reset_peak() {
    PEAK.store(heap_live(), std::sync::atomic::Ordering::Relaxed);
}

/// The peak of live heap bytes since the last [`heap_reset_peak`].
pub fn heap_peak() -> usize {
    PEAK.load(std::sync::atomic::Ordering::Relaxed)
}

/// `<program> <port> <calls>`: the local server's URL and the number of calls.
pub fn parse_args() -> (String, usize) {
    let a: Vec<String> = std::env::args().collect();
    let port = a.get(1).cloned().unwrap_or_else(|| "8099".into());
    let calls = a.get(2).and_then(|n| n.parse().ok()).unwrap_or(200);
    (format!("http://127.0.0.1:{port}"), calls)
}

/// Like [`run`] for a call whose answer is large: each call's output is kept until the
/// call's measurement ends (`call` returns it), and the line adds the heap each call
/// needed above what was live before it, the output included (`heap_peak_kib`: the
/// median over calls; `heap_max_kib`: the largest), and the heap the output alone holds
/// once the call returns (`heap_kept_kib`, median). Needs [`Counting`].
pub async fn run_heap<F, Fut, T>(calls: usize, mut call: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    for _ in 0..calls.min(20) / 2 {
        drop(call().await);
    }
    let mut lat = Vec::with_capacity(calls);
    let mut peak = Vec::with_capacity(calls);
    let mut kept = Vec::with_capacity(calls);
    let cpu0 = cpu_time();
    let t0 = Instant::now();
    for _ in 0..calls {
        let before = heap_live();
        heap_reset_peak();
        let t = Instant::now();
        let out = call().await;
        lat.push(t.elapsed());
        peak.push(heap_peak().saturating_sub(before));
        kept.push(heap_live().saturating_sub(before));
        drop(out);
    }
    let elapsed = t0.elapsed();
    let cpu = cpu_time() - cpu0;
    lat.sort();
    peak.sort();
    kept.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1e6;
    println!(
        "calls={calls} elapsed_s={:.3} p50_us={:.1} p99_us={:.1} cpu_per_call_us={:.1} max_rss_kib={} heap_peak_kib={} heap_max_kib={} heap_kept_kib={}",
        elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        cpu.as_secs_f64() * 1e6 / calls as f64,
        max_rss_kib(),
        peak[peak.len() / 2] / 1024,
        peak[peak.len() - 1] / 1024,
        kept[kept.len() / 2] / 1024,
    );
}

/// The roles of the large ListRoles answer (`bench/xml_bodies.py list-roles`).
pub const ROLES: usize = 1000;

/// The instances of the large DescribeInstances answer (`bench/xml_bodies.py
/// describe-instances`), about 1 MB.
pub const INSTANCES: usize = 110;

/// The small object of the S3 benchmarks: its key (the local server answers any GET of a
/// key `stream-<n>` with `n` bytes) and its size.
pub const SMALL_KEY: &str = "stream-1024";
/// [`SMALL_KEY`]'s size in bytes.
pub const SMALL_BYTES: usize = 1024;

/// What an S3 benchmark program does (`bench/s3.py`).
pub enum S3Case {
    /// `small <port> <calls>`: GetObject of [`SMALL_KEY`], `calls` times.
    Small { calls: usize },
    /// `get <port> <bytes> [times]`: GetObject of a `bytes`-byte object, drained chunk by
    /// chunk, `times` times one after the other (a run's throughput over all of them).
    Get { bytes: u64, times: u64 },
    /// `put <port> <file> [times]`: PutObject of the file (`bytes` long), read as it is
    /// sent, `times` times.
    Put {
        path: String,
        bytes: u64,
        times: u64,
    },
}

/// `<program> small|get|put <port> <calls|bytes|file> [times]`: the local server's URL and
/// the case.
pub fn s3_args() -> (String, S3Case) {
    let a: Vec<String> = std::env::args().collect();
    let usage = "small|get|put <port> <calls|bytes|file> [times]";
    let (case, port, arg, times) = match &a[..] {
        [_, case, port, arg] => (case.as_str(), port, arg.as_str(), 1),
        [_, case, port, arg, times] => (
            case.as_str(),
            port,
            arg.as_str(),
            times.parse().unwrap_or_else(|_| panic!("{usage}")),
        ),
        _ => panic!("{usage}"),
    };
    let number = || arg.parse().unwrap_or_else(|_| panic!("{usage}"));
    let case = match case {
        "small" => S3Case::Small {
            calls: number() as usize,
        },
        "get" => S3Case::Get {
            bytes: number(),
            times,
        },
        "put" => S3Case::Put {
            path: arg.to_string(),
            bytes: std::fs::metadata(arg).expect("the file to upload").len(),
            times,
        },
        _ => panic!("{usage}"),
    };
    (format!("http://127.0.0.1:{port}"), case)
}
