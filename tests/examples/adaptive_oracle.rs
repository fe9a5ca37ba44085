//! The Rust side of `scripts/oracle_adaptive.py`: replays a list of events (`send` or
//! `response`, at given times) through the adaptive retry mode's rate limiter and prints
//! its state after each, as JSON, for the script to compare with botocore's.

use awsgen_runtime::rate_limit::ClientRateLimiter;
use awsgen_runtime::serde_json::{self, json, Value};
use std::io::Read;

fn main() {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read the events: {e}");
        std::process::exit(2);
    }
    let events: Value = match serde_json::from_str(&input) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("the events are not JSON: {e}");
            std::process::exit(2);
        }
    };
    // Times come as decimal strings: `str::parse` rounds them exactly as Python wrote them
    // (serde_json's fast float parsing may be an ulp off, and an ulp of a Unix time is
    // 0.2 µs, enough to show in CUBIC's rate).
    let time = |v: &Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
    let start = time(&events["start"]).unwrap_or(0.0);
    let limiter = ClientRateLimiter::new(start);
    let mut out = Vec::new();
    for e in events["events"].as_array().into_iter().flatten() {
        let t = time(&e["t"]).unwrap_or(start);
        let wait = match e["kind"].as_str() {
            Some("send") => Some(limiter.try_acquire(t).map_or(0.0, |w| w.as_secs_f64())),
            _ => {
                limiter.on_response(t, e["throttled"].as_bool().unwrap_or(false));
                None
            }
        };
        let s = limiter.snapshot();
        out.push(json!({
            "wait": wait, "enabled": s.enabled, "fill_rate": s.fill_rate,
            "max_capacity": s.max_capacity, "capacity": s.capacity,
            "measured_rate": s.measured_rate, "w_max": s.w_max,
        }));
    }
    println!("{}", Value::Array(out));
}
