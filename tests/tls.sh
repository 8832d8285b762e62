#!/bin/bash
# SPDX-License-Identifier: ISC
# TLS: wss:// clients and TLS servers, with certificates made here by the
# openssl command line into the workspace (a throwaway CA, a server
# certificate for 127.0.0.1 and localhost, one for localhost only, an
# expired one, one from another CA), removed with it.
# (1) our recv -> our push over wss with --ca: messages flow;
# (2) Node `ws` clients -> our push and our echo over TLS; recv -> echo;
# (3) our recv -> Python `websockets` over TLS, with SNI for a name only;
# (4) a wrong host name, an expired certificate and an unknown CA are each
#     refused and counted as tls_verify (stats and /metrics); a plain
#     client at a TLS server is counted as tls_handshake;
# (5) --insecure connects to the unknown CA's server and says so;
# (6) certificates and options that do not fit are errors at start.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"
# shellcheck source=helpers/node/setup.sh
. "$HELPERS/node/setup.sh"

command -v openssl >/dev/null || fail "openssl is not installed (Debian package openssl)"

# --- certificates ------------------------------------------------------------

PKI=$WORK/pki
mkdir -p "$PKI/issued" || fail "cannot create $PKI"
: >"$PKI/index.txt"
echo 1000 >"$PKI/serial"
cat >"$PKI/openssl.cnf" <<EOF || fail "cannot write $PKI/openssl.cnf"
[req]
distinguished_name = dn
prompt = no
[dn]
CN = wsbench test
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
[ca]
default_ca = test_ca
[test_ca]
database = $PKI/index.txt
new_certs_dir = $PKI/issued
serial = $PKI/serial
default_md = sha256
policy = any
[any]
commonName = supplied
EOF
export SAN=IP:127.0.0.1

ossl() {
	run_bounded 30 openssl "$@" >>"$PKI/openssl.log" 2>&1 ||
		fail "openssl $*: $(tail -n 5 "$PKI/openssl.log")"
}

# ca NAME: a self-signed CA, NAME.pem and NAME.key.
ca() {
	ossl req -config "$PKI/openssl.cnf" -x509 -newkey ec \
		-pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj "/CN=wsbench test CA $1" -extensions ca_ext \
		-keyout "$PKI/$1.key" -out "$PKI/$1.pem"
}

# csr NAME: a key and a signing request for it.
csr() {
	ossl req -config "$PKI/openssl.cnf" -new -newkey ec \
		-pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$1" \
		-keyout "$PKI/$1.key" -out "$PKI/$1.csr"
}

# cert NAME CA SAN: a server certificate from CA for the names in SAN.
cert() {
	csr "$1"
	SAN=$3 ossl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$2.pem" \
		-CAkey "$PKI/$2.key" -CAcreateserial -days 2 \
		-extfile "$PKI/openssl.cnf" -extensions server_ext \
		-out "$PKI/$1.pem"
}

ca ca
ca other
cert server ca "IP:127.0.0.1,DNS:localhost"
cert nameonly ca "DNS:localhost"
cert foreign other "IP:127.0.0.1,DNS:localhost"
# `openssl x509` cannot date a certificate in the past; `openssl ca` can.
csr expired
ossl ca -batch -config "$PKI/openssl.cnf" -cert "$PKI/ca.pem" \
	-keyfile "$PKI/ca.key" -in "$PKI/expired.csr" -out "$PKI/expired.pem" \
	-startdate 20200101000000Z -enddate 20200102000000Z \
	-extensions server_ext -notext
note "certificates made: CA, server (127.0.0.1, localhost), localhost only, expired, other CA"

# Whether "localhost" means 127.0.0.1 first here (then name checks run).
LOCALHOST_V4=0
[ "$("$PYTHON3" -c 'import socket
print(socket.getaddrinfo("localhost", 1, 0, socket.SOCK_STREAM)[0][4][0])')" = 127.0.0.1 ] &&
	LOCALHOST_V4=1

# --- helpers -----------------------------------------------------------------

# tls_push NAME CERT [ARG...]: a push job serving CERT.pem; sets PUSH_PORT.
tls_push() {
	local name=$1 c=$2
	shift 2
	start_push a "$name" --tls-cert "$PKI/$c.pem" --tls-key "$PKI/$c.key" "$@"
}

# stat_is JOB KEY OP VALUE CELL: like expect_stat, but records a defect.
stat_is() {
	local v
	if ! v=$(stat_of a "$1" "$2") || ! is_uint "$v"; then
		defect "$5: cannot read $2 of $1"
		return 1
	fi
	(("v $3 $4")) || {
		defect "$5: $1 $2 is $v, expected $3 $4"
		return 1
	}
}

# last_error JOB: the job's last_error from stats.
last_error() {
	ctl a -j stats "$1" | json_get 'j[0]["last_error"]'
}

# metric_errors JOB REASON: the job's connection errors for REASON on
# /metrics (empty if there is no such series).
metric_errors() {
	metrics a | awk -v n="name=\"$1\"" -v r="reason=\"$2\"" \
		'/^wsbench_connection_errors_total\{/ && index($0, n) && index($0, r) { print $NF }'
}

# flows JOB CELL: a recv job receives, with its connections open and no error.
flows() {
	local job=$1
	if ! wait_until 15 '[ "$(num_of a "$job" messages_received)" -ge 1000 ]'; then
		defect "$2: $job received $(num_of a "$job" messages_received) messages in 15 s; last error: $(last_error "$job")"
		return 1
	fi
	stat_is "$job" connection_errors == 0 "$2" &&
		stat_is "$job" connections_opened '>=' 1 "$2" &&
		stat_is "$job" bytes_received '>=' 4000 "$2"
}

# refused CELL JOB URL WHY [ARG...]: a recv job whose server's certificate
# is refused: counted under tls_verify in stats and /metrics, never open,
# its last error naming WHY.
refused() {
	local cell=$1 job=$2 url=$3 why=$4 err m
	shift 4
	start_recv a "$job" "$url" "$@"
	if ! wait_until 15 '[ "$(num_of a "$job" errors_tls_verify)" -ge 2 ]'; then
		defect "$cell: $job has $(num_of a "$job" errors_tls_verify) tls_verify errors after 15 s; last error: $(last_error "$job")"
		stop_job a "$job"
		return 1
	fi
	stat_is "$job" connections_opened == 0 "$cell"
	stat_is "$job" messages_received == 0 "$cell"
	err=$(last_error "$job")
	[[ $err == *"$why"* ]] ||
		defect "$cell: last_error is '$err', expected it to say '$why'"
	m=$(metric_errors "$job" tls_verify)
	if ! is_uint "$m" || [ "$m" -lt 2 ]; then
		defect "$cell: /metrics has '$m' tls_verify errors for $job, expected >= 2"
	fi
	stop_job a "$job"
	note "cell $cell: refused, counted as tls_verify (stats and /metrics): $err"
}

# start_error CELL WANT ARG...: `wsbenchctl start ARG...` must exit non-zero
# with a message holding WANT.
start_error() {
	local cell=$1 want=$2 out rc
	shift 2
	out=$(ctl a start "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ]; then
		defect "$cell: start $* succeeded: $out"
	elif [[ $out != *"$want"* ]]; then
		defect "$cell: start $* said '$out', expected '$want'"
	else
		note "cell $cell: refused at start: $out"
	fi
}

node_setup
# Node's TLS trusts the test CA through this.
export NODE_EXTRA_CA_CERTS=$PKI/ca.pem

start_daemon a

# --- (1) our recv -> our push --------------------------------------------------

tls_push tp server
tport=$PUSH_PORT
start_recv a tr "wss://127.0.0.1:$tport/" --ca "$PKI/ca.pem" --connections 2
if flows tr "recv->push"; then
	wait_until 10 '[ "$(num_of a tr connections)" -eq 2 ]' ||
		defect "recv->push: tr has $(num_of a tr connections) connections, expected 2"
	stat_is tp messages_sent '>=' 1000 "recv->push"
	stat_is tp connection_errors == 0 "recv->push"
	ctl a stats tr | grep -q '^tls_verify' &&
		defect "recv->push: stats says verification is off without --insecure"
	note "cell recv->push: $(num_of a tr messages_received) messages over 2 wss connections, verified against --ca"
fi
stop_job a tr

# --- (2) Node ws -> our push and echo; recv -> echo -----------------------------

tls_push tn server
client push push_client.js "wss://127.0.0.1:$PUSH_PORT/" --count 1000 --ping
if [ "$CLIENT_RC" -ne 0 ] || ! is_uint "$CLIENT_TOTAL" || [ "$CLIENT_TOTAL" -lt 1000 ]; then
	defect "node->push: push_client.js exited $CLIENT_RC, printed '$CLIENT_TOTAL'"
else
	wait_until 10 '[ "$(num_of a tn connections)" -eq 0 ]' ||
		defect "node->push: tn kept a connection after the client left"
	stat_is tn connection_errors == 0 "node->push" &&
		stat_is tn messages_sent == "$CLIENT_TOTAL" "node->push" &&
		note "cell node->push: ws $WS_VERSION got $CLIENT_TOTAL good messages over TLS, ping answered, close 1000 answered"
fi
# The test of the test: without the CA, Node refuses the certificate.
NODE_EXTRA_CA_CERTS='' client nocapush push_client.js "wss://127.0.0.1:$PUSH_PORT/" --count 10 --timeout 10
[ "$CLIENT_RC" -eq 2 ] ||
	defect "node->push without the CA: push_client.js exited $CLIENT_RC, expected 2"
stop_job a tn

start_echo a te --tls-cert "$PKI/server.pem" --tls-key "$PKI/server.key"
eport=$ECHO_PORT
client echo echo_client.js "wss://127.0.0.1:$eport/"
if [ "$CLIENT_RC" -ne 0 ] || ! is_uint "$CLIENT_TOTAL"; then
	defect "node->echo: echo_client.js exited $CLIENT_RC, printed '$CLIENT_TOTAL'"
else
	wait_until 10 '[ "$(num_of a te connections)" -eq 0 ]' ||
		defect "node->echo: te kept a connection after the client left"
	stat_is te messages_received == "$CLIENT_TOTAL" "node->echo" &&
		stat_is te messages_sent == "$CLIENT_TOTAL" "node->echo" &&
		stat_is te connection_errors == 0 "node->echo" &&
		note "cell node->echo: $CLIENT_TOTAL messages (0 B to 1 MiB, fragmented, a burst) echoed equal over TLS"
fi
start_recv a tre "wss://127.0.0.1:$eport/" --ca "$PKI/ca.pem" --connections 3
if wait_until 15 '[ "$(num_of a te connections)" -eq 3 ]'; then
	stat_is tre connections == 3 "recv->echo" &&
		stat_is tre connection_errors == 0 "recv->echo" &&
		note "cell recv->echo: 3 wss connections open"
else
	defect "recv->echo: te has $(num_of a te connections) connections, expected 3; last error: $(last_error tre)"
fi
stop_job a tre
stop_job a te

# --- (3) our recv -> Python websockets -----------------------------------------

spawn "$PYTHON3" "$HELPERS/tls_server.py" --cert "$PKI/server.pem" \
	--key "$PKI/server.key" >"$WORK/py.out" 2>"$WORK/py.err"
pypid=$LAST_PID
wait_until 15 '[ -s "$WORK/py.out" ] || ! alive $pypid'
pyport=$(head -n 1 "$WORK/py.out")
is_uint "$pyport" || fail "tls_server.py did not print its port: $(cat "$WORK/py.err")"
start_recv a tpy "wss://127.0.0.1:$pyport/" --ca "$PKI/ca.pem"
flows tpy "recv->python" &&
	note "cell recv->python: $(num_of a tpy messages_received) messages from websockets over TLS"
stop_job a tpy
grep -q '^tls_server: sni: none$' "$WORK/py.err" ||
	defect "recv->python by IP: SNI was sent for an IP address: $(grep sni "$WORK/py.err")"
if [ "$LOCALHOST_V4" = 1 ]; then
	start_recv a tpyn "wss://localhost:$pyport/" --ca "$PKI/ca.pem"
	flows tpyn "recv->python by name" &&
		note "cell recv->python by name: verified for localhost"
	stop_job a tpyn
	grep -q '^tls_server: sni: localhost$' "$WORK/py.err" ||
		defect "recv->python by name: no SNI 'localhost': $(grep sni "$WORK/py.err")"
else
	note "localhost is not 127.0.0.1 first here: name checks skipped"
fi
kill_pid "$pypid"

# --- (4) refusals ----------------------------------------------------------------

tls_push tname nameonly
refused "wrong host" rhost "wss://127.0.0.1:$PUSH_PORT/" "IP address mismatch" \
	--ca "$PKI/ca.pem"
stop_job a tname
if [ "$LOCALHOST_V4" = 1 ]; then
	cert othername ca "DNS:other.example"
	tls_push tother othername
	refused "wrong name" rname "wss://localhost:$PUSH_PORT/" "hostname mismatch" \
		--ca "$PKI/ca.pem"
	stop_job a tother
fi

tls_push texp expired
refused "expired" rexp "wss://127.0.0.1:$PUSH_PORT/" "certificate has expired" \
	--ca "$PKI/ca.pem"
# The server saw clients give up in the handshake.
stat_is texp errors_tls_handshake '>=' 1 "expired (server side)"
stat_is texp connections_opened == 0 "expired (server side)"
stop_job a texp

tls_push tforeign foreign
fport=$PUSH_PORT
refused "unknown CA" rca "wss://127.0.0.1:$fport/" "unable to get local issuer" \
	--ca "$PKI/ca.pem"
# Without --ca the system's roots are used: they do not know the test CA.
refused "system roots" rsys "wss://127.0.0.1:$tport/" "unable to get local issuer"

# A plain client at a TLS server fails the server's handshake.
start_recv a plain "ws://127.0.0.1:$tport/"
if wait_until 15 '[ "$(num_of a tp errors_tls_handshake)" -ge 1 ]'; then
	err=$(last_error tp)
	[[ $err == "TLS handshake failed: "* ]] ||
		defect "plain->TLS: the server's last_error is '$err'"
	m=$(metric_errors tp tls_handshake)
	if ! is_uint "$m" || [ "$m" -lt 1 ]; then
		defect "plain->TLS: /metrics has '$m' tls_handshake errors for tp"
	fi
	note "cell plain->TLS: counted as tls_handshake by the server: $err"
else
	defect "plain->TLS: tp counted no tls_handshake error in 15 s"
fi
stop_job a plain

# --- (5) --insecure ----------------------------------------------------------------

start_recv a tins "wss://127.0.0.1:$fport/" --insecure
flows tins "insecure" && note "cell insecure: connected to the unknown CA's server"
line=$(ctl a stats tins | awk '$1 == "tls_verify"')
[[ $line == *OFF* ]] ||
	defect "insecure: stats has no line saying verification is off: '$line'"
grep -q 'job tins: --insecure' "${DAEMON_LOG[a]}" ||
	defect "insecure: the log does not say the job does not verify"
stop_job a tins
stop_job a tforeign
stop_job a tp

# --- (6) errors at start ------------------------------------------------------------

start_error "bad cert path" "--tls-cert '$WORK/none.pem'" push --port 0 \
	--tls-cert "$WORK/none.pem" --tls-key "$PKI/server.key"
start_error "bad key path" "--tls-key '$WORK/none.key'" echo --port 0 \
	--tls-cert "$PKI/server.pem" --tls-key "$WORK/none.key"
start_error "key of another cert" "--tls-key '$PKI/other.key'" push --port 0 \
	--tls-cert "$PKI/server.pem" --tls-key "$PKI/other.key"
start_error "cert alone" "go together" push --port 0 --tls-cert "$PKI/server.pem"
start_error "--ca on ws://" "for wss://" recv "ws://127.0.0.1:$tport/" \
	--ca "$PKI/ca.pem"
start_error "--ca and --insecure" "exclude each other" recv \
	"wss://127.0.0.1:$tport/" --ca "$PKI/ca.pem" --insecure
start_error "bad --ca path" "--ca '$WORK/none.pem'" recv \
	"wss://127.0.0.1:$tport/" --ca "$WORK/none.pem"
printf 'start push --port 0 --tls-cert %s --tls-key %s\n' "$WORK/none.pem" \
	"$PKI/server.key" >"$WORK/bad.conf"
run_bounded 20 "$WSBENCHD" -n -f "$WORK/bad.conf" >"$WORK/check.out" 2>"$WORK/check.err"
rc=$?
if [ "$rc" -eq 0 ] || ! grep -q "bad.conf:1: .*--tls-cert" "$WORK/check.err"; then
	defect "wsbenchd -n with a bad --tls-cert: exit $rc, said '$(cat "$WORK/check.err")'"
fi

stop_daemon a
finish
