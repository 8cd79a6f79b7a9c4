#!/usr/bin/env bash
# Builds the Debian package: the release binary, a man page made from `lectern --help`
# (help2man), then `cargo deb` with the metadata in Cargo.toml, and checks it with lintian.
#
#   scripts/build-deb.sh              (writes target/debian/lectern_VERSION_ARCH.deb)
#
# Needs `cargo install cargo-deb` and Debian's help2man and lintian.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
help2man --no-info --no-discard-stderr \
  --name "a conference room display: the session, the paper, a large countdown, what is next" \
  --version-string "$(target/release/lectern --version | cut -d' ' -f2-)" \
  target/release/lectern | gzip -9n > target/lectern.1.gz
cargo deb --no-build --locked
package=$(ls -t target/debian/lectern_*.deb | head -n 1)
echo "$package"
if command -v lintian >/dev/null; then
  lintian --info "$package" || true
fi
