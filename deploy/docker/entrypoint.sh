#!/bin/sh
# Entrypoint of the taskraft node image: fills in what taskraftd's flags need from the
# container's surroundings, then execs taskraftd (or any other command given, e.g. `taskraft`;
# TASKRAFTD names another taskraftd binary).
#
# - TASKRAFT_MYSQL: when unset, built from TASKRAFT_MYSQL_HOST/_PORT/_USER/_DATABASE, without
#   a password: taskraftd reads that from TASKRAFT_MYSQL_PASSWORD_FILE (--mysql-password-file)
#   itself, so the password lives in a mounted secret file only, not in the compose file, the
#   pod spec or the process's environment.
# - TASKRAFT_ORDINAL_FROM_HOSTNAME=1 (Kubernetes StatefulSet, pods NAME-0, NAME-1, ...):
#     TASKRAFT_ID          = ordinal + 1
#     TASKRAFT_PEER_ADDR   = $POD_IP:${TASKRAFT_PEER_PORT:-7000}
#     TASKRAFT_HTTP_ADDR   = $POD_IP:${TASKRAFT_HTTP_PORT:-8000}
#     ordinal < TASKRAFT_INITIAL_SIZE (3): TASKRAFT_INITIAL_CLUSTER from the IPs that the
#       pods' DNS names (NAME-i.$TASKRAFT_SERVICE) resolve to, waiting until all resolve;
#     ordinal >= TASKRAFT_INITIAL_SIZE, or TASKRAFT_JOIN already set: join, through
#       TASKRAFT_JOIN (default http://$TASKRAFT_API_SERVICE:HTTP_PORT, the API Service "taskraft")
#   taskraftd takes IP literals only, so the names are resolved once, here, at first start.
set -eu

say() { echo "taskraft-entrypoint: $*" >&2; }

urlencode() {
  s=$1 out=
  while [ -n "$s" ]; do
    rest=${s#?} c=${s%"$rest"} s=$rest
    case $c in
      [A-Za-z0-9._~-]) out=$out$c ;;
      *) out=$out$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

resolve() {  # resolve NAME: prints the IPv4 address, waits up to TASKRAFT_DNS_WAIT seconds
  waited=0
  while :; do
    ip=$(getent ahostsv4 "$1" 2>/dev/null | awk 'NR==1 {print $1}')
    [ -n "$ip" ] && { echo "$ip"; return 0; }
    [ "$waited" -ge "${TASKRAFT_DNS_WAIT:-300}" ] && { say "cannot resolve $1"; return 1; }
    sleep 2; waited=$((waited + 2))
  done
}

if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi   # a command, not taskraftd flags

if [ -z "${TASKRAFT_MYSQL:-}" ] && [ -n "${TASKRAFT_MYSQL_HOST:-}" ]; then
  TASKRAFT_MYSQL="mysql://$(urlencode "${TASKRAFT_MYSQL_USER:-root}")@${TASKRAFT_MYSQL_HOST}:${TASKRAFT_MYSQL_PORT:-3306}/${TASKRAFT_MYSQL_DATABASE:-taskraft}"
  export TASKRAFT_MYSQL
fi

if [ "${TASKRAFT_ORDINAL_FROM_HOSTNAME:-0}" = 1 ]; then
  host=$(hostname)
  ordinal=${host##*-} set_name=${host%-*}
  case $ordinal in ''|*[!0-9]*) say "hostname $host does not end in -<ordinal>"; exit 2 ;; esac
  : "${POD_IP:?POD_IP must be set (downward API status.podIP)}"
  : "${TASKRAFT_SERVICE:?TASKRAFT_SERVICE must name the headless service}"
  peer_port=${TASKRAFT_PEER_PORT:-7000} http_port=${TASKRAFT_HTTP_PORT:-8000}
  size=${TASKRAFT_INITIAL_SIZE:-3}
  export TASKRAFT_ID=$((ordinal + 1))
  export TASKRAFT_PEER_ADDR="$POD_IP:$peer_port" TASKRAFT_HTTP_ADDR="$POD_IP:$http_port"
  if [ -e "$TASKRAFT_DATA_DIR/identity.json" ]; then
    say "node $TASKRAFT_ID restarts from $TASKRAFT_DATA_DIR"
    # The other members know this node by the IP it had when it joined (members.json); a pod
    # that came back with another IP is unreachable for them until it is replaced
    # (deploy/k8s/README.md, "Pod IPs").
    if ! grep -q "\"$TASKRAFT_ID\":{\"peer_addr\":\"$POD_IP:" "$TASKRAFT_DATA_DIR/members.json" 2>/dev/null; then
      say "WARNING: this pod's IP $POD_IP is not the peer address the cluster recorded for node $TASKRAFT_ID; see deploy/k8s/README.md, Pod IPs"
    fi
  elif [ "$ordinal" -lt "$size" ] && [ -z "${TASKRAFT_JOIN:-}" ]; then
    members= i=0
    while [ "$i" -lt "$size" ]; do
      if [ "$i" = "$ordinal" ]; then ip=$POD_IP; else ip=$(resolve "$set_name-$i.$TASKRAFT_SERVICE"); fi
      members="$members${members:+,}$((i + 1))=$ip:$peer_port"
      i=$((i + 1))
    done
    export TASKRAFT_INITIAL_CLUSTER="$members"
    say "node $TASKRAFT_ID bootstraps with --initial-cluster $members"
  else
    export TASKRAFT_JOIN="${TASKRAFT_JOIN:-http://${TASKRAFT_API_SERVICE:-taskraft}:$http_port}"
    say "node $TASKRAFT_ID joins through $TASKRAFT_JOIN"
  fi
fi

exec "${TASKRAFTD:-/usr/local/bin/taskraftd}" "$@"
