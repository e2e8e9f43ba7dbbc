# Sourced by .ci/run (and usable by developers): points the tests at the CrateDB release tarball in ../shared when
# it is there and its SHA-256 checks out, and, when this runs as root (CrateDB refuses to), names the unprivileged
# user `crate` for its nodes, creating it if need be. Without the tarball nothing is set, and the integration
# suites find a CrateDB the usual way (CRATEDB_URL, CRATEDB_HOME, Docker, a download) or say they are skipped.
CRATEDB_SHARED_TARBALL="${CRATEDB_SHARED_TARBALL:-$PWD/../shared/cratedb/crate-6.4.3.tar.gz}"

if [ -z "${CRATEDB_URL:-}" ] && [ -z "${CRATEDB_TARBALL:-}" ] && [ -f "$CRATEDB_SHARED_TARBALL" ]; then
  if [ -f "$CRATEDB_SHARED_TARBALL.sha256" ] &&
    (cd "$(dirname "$CRATEDB_SHARED_TARBALL")" && sha256sum --check --status "$(basename "$CRATEDB_SHARED_TARBALL").sha256"); then
    export CRATEDB_TARBALL="$CRATEDB_SHARED_TARBALL"
    echo "CrateDB for the tests: $CRATEDB_TARBALL (SHA-256 checked)"
  else
    echo "CrateDB tarball $CRATEDB_SHARED_TARBALL does not match its .sha256: not used" >&2
  fi
fi

if [ "$(id -u)" = 0 ] && [ -z "${CRATEDB_USER:-}" ] && { [ -n "${CRATEDB_TARBALL:-}" ] || [ -n "${CRATEDB_HOME:-}" ]; }; then
  if ! id -u crate >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin crate
  fi
  export CRATEDB_USER=crate
  echo "running as root: CrateDB nodes run as user $CRATEDB_USER"
fi
