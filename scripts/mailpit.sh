#!/usr/bin/env bash
# mailpit (a local SMTP server with an HTTP API) on loopback for the email
# tests in internal/notify.
#
#   scripts/mailpit.sh install                        install mailpit if missing
#   scripts/mailpit.sh start DIR SMTP_PORT HTTP_PORT  install if missing, start
#                                                     it on 127.0.0.1, wait until
#                                                     ready, print the addresses
#   scripts/mailpit.sh stop DIR                       stop the server started in DIR
#
# start prints two lines to stdout, ready to eval:
#
#   ACCORD_TEST_MAILPIT_SMTP=127.0.0.1:SMTP_PORT
#   ACCORD_TEST_MAILPIT_API=http://127.0.0.1:HTTP_PORT
#
# Progress and errors go to stderr. The database lives in DIR/mailpit.db and
# the log in DIR/mailpit.log. SMTP accepts any login without TLS: it holds
# test mail only and listens on loopback only.
set -euo pipefail

MAILPIT_VERSION=v1.27.11
GOBIN_DIR=${GOBIN:-$HOME/go/bin}

log() { echo "mailpit.sh: $*" >&2; }
die() { log "$*"; exit 1; }

mailpit_bin() {
	if [ -x "$GOBIN_DIR/mailpit" ]; then
		echo "$GOBIN_DIR/mailpit"
	elif command -v mailpit >/dev/null; then
		command -v mailpit
	fi
}

install_mailpit() {
	[ -n "$(mailpit_bin)" ] && return
	command -v go >/dev/null || die "mailpit is missing and go is not on PATH"
	log "installing mailpit $MAILPIT_VERSION into $GOBIN_DIR (go install, takes a few minutes)"
	local t0=$SECONDS
	# Run outside the repository so that its go.mod is neither read nor touched.
	(cd / && GOBIN=$GOBIN_DIR GOFLAGS= go install "github.com/axllent/mailpit@$MAILPIT_VERSION") >&2 ||
		die "go install github.com/axllent/mailpit@$MAILPIT_VERSION failed"
	log "installed in $((SECONDS - t0))s"
}

# port_free reports whether nothing listens on 127.0.0.1:$1.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
	local dir=$1 smtp=$2 http=$3
	[[ $smtp =~ ^[0-9]+$ ]] || die "SMTP_PORT must be a number, not '$smtp'"
	[[ $http =~ ^[0-9]+$ ]] || die "HTTP_PORT must be a number, not '$http'"
	install_mailpit
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	local pidfile=$dir/mailpit.pid
	if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		log "already running in $dir (pid $(cat "$pidfile"))"
	else
		port_free "$smtp" || die "127.0.0.1:$smtp is already in use"
		port_free "$http" || die "127.0.0.1:$http is already in use"
		# setsid: the server must outlive this script and the shell that ran it.
		setsid "$(mailpit_bin)" \
			--smtp "127.0.0.1:$smtp" --listen "127.0.0.1:$http" \
			--database "$dir/mailpit.db" \
			--smtp-auth-accept-any --smtp-auth-allow-insecure \
			--disable-version-check \
			</dev/null >"$dir/mailpit.log" 2>&1 &
		echo $! >"$pidfile"
	fi
	local i
	for i in $(seq 1 100); do
		if curl -fsS "http://127.0.0.1:$http/readyz" >/dev/null 2>&1 && ! port_free "$smtp"; then
			break
		fi
		if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
			tail -n 20 "$dir/mailpit.log" >&2
			die "mailpit exited"
		fi
		[ "$i" = 100 ] && { tail -n 20 "$dir/mailpit.log" >&2; die "mailpit not ready on 127.0.0.1:$http"; }
		sleep 0.1
	done
	echo "ACCORD_TEST_MAILPIT_SMTP=127.0.0.1:$smtp"
	echo "ACCORD_TEST_MAILPIT_API=http://127.0.0.1:$http"
}

stop() {
	local dir=$1 pidfile=$1/mailpit.pid pid
	[ -f "$pidfile" ] || die "no mailpit.pid in $dir"
	pid=$(cat "$pidfile")
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid"
		local i
		for i in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && die "mailpit (pid $pid) did not stop"
	fi
	rm -f "$pidfile"
}

case "${1:-}" in
install) [ $# -eq 1 ] || die "usage: $0 install"; install_mailpit ;;
start) [ $# -eq 4 ] || die "usage: $0 start DIR SMTP_PORT HTTP_PORT"; start "$2" "$3" "$4" ;;
stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
*) die "usage: $0 install | $0 start DIR SMTP_PORT HTTP_PORT | $0 stop DIR" ;;
esac
