//! `awsgen`: the generator as a command.
//!
//! ```text
//! awsgen generate --model models/dms/2016-01-01 --out-dir DIR [--operations A,B] [--file-name dms.rs]
//! ```

use std::process::ExitCode;

/// See the `mimalloc` feature in `Cargo.toml`: about a quarter of the generator's time.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str =
    "usage: awsgen generate --model <service-2.json or its directory> --out-dir <dir> \
[--operations Op1,Op2] [--file-name name.rs] [--runtime-path ::awsgen_runtime]
       [--blocking-feature blocking] [--test-util-feature test-util]
       awsgen generate --help | awsgen --help | awsgen --version";

const GENERATE_HELP: &str = "\
awsgen generate: write the Rust client of one botocore service model

usage: awsgen generate --model <path> --out-dir <dir> [options]

  --model <path>          the model's service-2.json (or service-2.json.gz), or the
                          directory holding it; the endpoint-rule-set-1.json,
                          paginators-1.json and waiters-2.json beside it are read too
  --out-dir <dir>         where the file is written (created if missing; an unchanged
                          file is not rewritten)
  --operations A,B        only these operations (and the shapes they reach)
  --file-name <name.rs>   the output file's name; by default the model's endpoint prefix
                          with `.rs` (`dms.rs`; `monitoring.rs` for CloudWatch,
                          `sts.rs` for STS), as build.rs's `Config::file_name` sets it
  --runtime-path <path>   how the generated code names the runtime crate
                          (default `::awsgen_runtime`)
  --blocking-feature <f>  also a blocking client, behind the including crate's cargo
                          feature <f> (which must enable `awsgen-runtime/blocking`)
  --test-util-feature <f> also the typed mocks (`test_util`), behind feature <f> (which
                          must enable `awsgen-runtime/test-util`)
  -h, --help              this text

The file is one Rust module to `include!`; see the README for using it from build.rs.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("awsgen: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(USAGE.to_string());
    };
    if cmd == "-h" || cmd == "--help" {
        println!("{USAGE}");
        return Ok(());
    }
    if cmd == "-V" || cmd == "--version" {
        println!("awsgen {}", env!("CARGO_PKG_VERSION"));
        return Ok(());
    }
    if cmd != "generate" {
        return Err(format!("unknown command `{cmd}`\n{USAGE}"));
    }
    let mut config = awsgen_codegen::Config::new();
    config.emit_rerun_if_changed(false);
    let mut have_model = false;
    let mut have_out = false;
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            println!("{GENERATE_HELP}");
            return Ok(());
        }
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--model" => {
                config.model(value()?);
                have_model = true;
            }
            "--out-dir" => {
                config.out_dir(value()?);
                have_out = true;
            }
            "--operations" => {
                let v = value()?;
                config.operations(v.split(',').map(str::trim).filter(|s| !s.is_empty()));
            }
            "--file-name" => {
                config.file_name(value()?);
            }
            "--runtime-path" => {
                config.runtime_path(value()?);
            }
            "--blocking-feature" => {
                config.blocking_feature(value()?);
            }
            "--test-util-feature" => {
                config.test_util_feature(value()?);
            }
            // Hidden: the differential test's per-operation JSON round trip.
            "--wire-harness" => {
                config.wire_harness(true);
            }
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
    }
    if !have_model || !have_out {
        return Err(format!("`--model` and `--out-dir` are required\n{USAGE}"));
    }
    let path = config.compile().map_err(|e| e.to_string())?;
    println!("wrote {}", path.display());
    Ok(())
}
