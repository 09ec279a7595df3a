#!/usr/bin/env bash
# PostgreSQL 15 on loopback for tests and development.
#
#   scripts/pg.sh start DIR PORT   initialise DIR (once), start the server on
#                                  127.0.0.1:PORT with trust auth, create the
#                                  database accord_test and print its DSN
#   scripts/pg.sh stop DIR         stop the server started in DIR
#
# Only the DSN goes to stdout, so `dsn=$(scripts/pg.sh start …)` works;
# progress and errors go to stderr. The server runs without fsync: it holds
# test data only.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin

log() { echo "pg.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# as_pg runs a command as the postgres OS user when we are root, because
# initdb and postgres refuse to run as root.
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

install_pg() {
	[ -x "$PGBIN/postgres" ] && return
	[ "$(id -u)" = 0 ] || die "PostgreSQL 15 is missing and installing it needs root"
	log "installing postgresql-15 from Debian's packages"
	# Don't let the package create and start its own cluster on port 5432.
	mkdir -p /etc/postgresql-common
	grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf ||
		echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends postgresql-15 >&2
	[ -x "$PGBIN/postgres" ] || die "postgresql-15 installed but $PGBIN/postgres is missing"
}

start() {
	local dir=$1 port=$2
	[[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number, not '$port'"
	install_pg
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown postgres:postgres "$dir"
		chmod 0700 "$dir"
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		log "initdb $dir/data"
		as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust \
			--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
			{ cat "$dir/initdb.log" >&2; die "initdb failed"; }
	fi
	if as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		log "already running in $dir"
	else
		# The socket goes in DIR too: /var/run/postgresql may not exist or be writable.
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >&2 || { tail -n 30 "$dir/server.log" >&2; die "server did not start"; }
	fi
	local i
	for i in $(seq 1 60); do
		"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break
		[ "$i" = 60 ] && die "server not ready on 127.0.0.1:$port"
		sleep 0.5
	done
	if ! "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
		"SELECT 1 FROM pg_database WHERE datname = 'accord_test'" | grep -q 1; then
		"$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres accord_test
	fi
	echo "postgres://postgres@127.0.0.1:$port/accord_test?sslmode=disable"
}

stop() {
	local dir=$1
	[ -f "$dir/data/PG_VERSION" ] || die "no PostgreSQL data directory in $dir"
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >&2
}

case "${1:-}" in
start) [ $# -eq 3 ] || die "usage: $0 start DIR PORT"; start "$2" "$3" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 start DIR PORT | $0 stop DIR" ;;
esac
