#!/usr/bin/env bash
# Runs every test. Installs and starts what the tests need on loopback:
# PostgreSQL 15 (Debian's package), Chromium for the browser tests, R with
# its AER package for the comparison of the logistic model with R's glm. Every
# storage test runs on SQLite and on PostgreSQL; with CI set, a PostgreSQL
# test that cannot reach its server fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || need_apt+=(postgresql-15)
command -v chromium >/dev/null || need_apt+=(chromium)
# R and its AER package (public credit data sets): the logistic model is
# checked against R's glm.
command -v Rscript >/dev/null || need_apt+=(r-base-core)
[ -d /usr/lib/R/site-library/AER ] || need_apt+=(r-cran-aer)
if [ ${#need_apt[@]} -gt 0 ]; then
	echo "installing ${need_apt[*]} from Debian's packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

pgdir=$(mktemp -d /tmp/accord-pg.XXXXXX)
mpdir=$(mktemp -d /tmp/accord-mailpit.XXXXXX)
port=${ACCORD_TEST_PG_PORT:-55439}
cleanup() {
	bash scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	bash scripts/mailpit.sh stop "$mpdir" >/dev/null 2>&1 || true
	rm -rf "$pgdir" "$mpdir"
}
trap cleanup EXIT
dsn=$(bash scripts/pg.sh start "$pgdir" "$port")
export ACCORD_TEST_POSTGRES="$dsn"
# mailpit (installed with go install on first use) for the email tests.
mpenv=$(bash scripts/mailpit.sh start "$mpdir" "${ACCORD_TEST_MAILPIT_SMTP_PORT:-1026}" "${ACCORD_TEST_MAILPIT_HTTP_PORT:-8026}")
eval "$mpenv"
export ACCORD_TEST_MAILPIT_SMTP ACCORD_TEST_MAILPIT_API
export ACCORD_TEST_CHROMIUM=$(command -v chromium)
export CI=${CI:-true}

go vet ./...
set +o pipefail +e
go test -count=1 -timeout 25m ./... 2>&1 | tee /tmp/accord-test.log
status=${PIPESTATUS[0]}
exit "$status"
