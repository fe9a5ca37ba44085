#!/usr/bin/env bash
# Checks the public API of awsgen-runtime and awsgen-codegen against a baseline revision
# with cargo-semver-checks (rustdoc JSON through RUSTC_BOOTSTRAP on the stable toolchain).
#
#   scripts/semver_check.sh [<baseline git rev>]     (default: HEAD~1)
#
# Installs cargo-semver-checks into target/tools the first time (a few minutes). Exits
# non-zero when a change needs a bigger version bump than the crates' versions show.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline="${1:-HEAD~1}"
tools="$PWD/target/tools"
if [ ! -x "$tools/bin/cargo-semver-checks" ]; then
  cargo install --locked --quiet cargo-semver-checks --root "$tools"
fi
export PATH="$tools/bin:$PATH"
cargo semver-checks --baseline-rev "$baseline" -p awsgen-runtime -p awsgen-codegen
