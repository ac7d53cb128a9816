#!/usr/bin/env bash
# What the images do, without Docker (none runs here): builds each service's folder with
# docker/build-service.sh, the Dockerfile's own build step, on this clone; starts a local stack on
# free ports; runs each service from its folder only (java -cp 'lib/*'), as uid 1000 like the image
# when run as root, configured by DIGESTFLOW_* variables as in docker-compose.yml, with its folders
# owned by that uid; then drops a sample digest into the inbox, which must reach Elasticsearch.
# Exit 0, or non-zero with the log of the step that failed. Called by .ci/run after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /tmp/digestflow-smoke.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "smoke test FAILED: $1" >&2; shift; for f in "$@"; do echo "---- $f" >&2; tail -40 "$f" >&2 || true; done; exit 1; }
free_port() { local p; while :; do p=$((20000 + RANDOM % 30000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
http_get() { # port path -> body
  exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 && sed '1,/^\r$/d' <&3; exec 3<&-
}
await_line() { # file text seconds pid
  for _ in $(seq 1 $(( $3 * 4 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.25
  done
  return 1
}

echo "== building the three service folders with docker/build-service.sh"
for m in ingest-producer enrich-streams index-sink; do docker/build-service.sh "$m" "$WORK/$m"; done

echo "== starting a local stack on free ports"
KAFKA=$(free_port); CONTROLLER=$(free_port); REGISTRY=$(free_port); ES=$(free_port); ES_TRANSPORT=$(free_port)
java -Xmx512m -cp "app/target/classes:$(cat app/target/app.classpath)" dev.digestflow.localstack.LocalStackCli --data-dir "$WORK/stack" \
  --kafka-port "$KAFKA" --kafka-controller-port "$CONTROLLER" --registry-port "$REGISTRY" --es-port "$ES" --es-transport-port "$ES_TRANSPORT" \
  > "$WORK/stack.log" 2>&1 &
PIDS+=($!)
await_line "$WORK/stack.log" "Ctrl-C stops everything" 180 "${PIDS[-1]}" || fail "the local stack did not start" "$WORK/stack.log"

AS_SERVICE_USER=()
if [[ $(id -u) == 0 ]]; then
  # The image's user: uid 1000, no supplementary groups, owning only its folders.
  AS_SERVICE_USER=(setpriv --reuid 1000 --regid 1000 --clear-groups)
fi
HOME_DIR="$WORK/home"
mkdir -p "$HOME_DIR"/{inbox,processed,failed,state}
[[ $(id -u) == 0 ]] && chown -R 1000:1000 "$HOME_DIR"

run_service() { # name main port extra-env...
  local name=$1 main=$2 port=$3; shift 3
  env -i PATH="$PATH" JAVA_HOME="${JAVA_HOME:-}" \
    DIGESTFLOW_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA" DIGESTFLOW_SCHEMA_REGISTRY_URL="http://127.0.0.1:$REGISTRY" \
    DIGESTFLOW_HTTP_PORT="$port" DIGESTFLOW_TOPIC_REPLICATION_FACTOR=1 "$@" \
    "${AS_SERVICE_USER[@]}" java -Xmx256m -cp "$WORK/$name/lib/*" "$main" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  await_line "$WORK/$name.log" "$name started" 120 "${PIDS[-1]}" || fail "$name did not start from its folder" "$WORK/$name.log"
  echo "$name started from $WORK/$name/lib"
}
run_service enrich-streams dev.digestflow.enrich.EnrichStreamsMain "$(free_port)" DIGESTFLOW_STATE_DIR="$HOME_DIR/state/enrich"
run_service index-sink dev.digestflow.sink.IndexSinkMain "$(free_port)" DIGESTFLOW_ES_URLS="http://127.0.0.1:$ES"
run_service ingest-producer dev.digestflow.ingest.IngestProducerMain "$(free_port)" DIGESTFLOW_INBOX_DIR="$HOME_DIR/inbox" \
  DIGESTFLOW_PROCESSED_DIR="$HOME_DIR/processed" DIGESTFLOW_FAILED_DIR="$HOME_DIR/failed" DIGESTFLOW_STATE_DIR="$HOME_DIR/state/ingest"

echo "== a sample digest, through the three folders' services"
SAMPLE=../shared/samples/digests/000_545bdede27ca3e01.txt
[[ -f $SAMPLE ]] || SAMPLE=app/target/test-classes/samples/000_545bdede27ca3e01.txt
cp "$SAMPLE" "$HOME_DIR/inbox/.sample.tmp"
[[ $(id -u) == 0 ]] && chown 1000:1000 "$HOME_DIR/inbox/.sample.tmp"
mv "$HOME_DIR/inbox/.sample.tmp" "$HOME_DIR/inbox/sample.txt"
for _ in $(seq 1 240); do
  count=$(http_get "$ES" "/digest-items/_count" 2>/dev/null | sed -n 's/.*"count":\([0-9]*\).*/\1/p')
  [[ "${count:-0}" == 10 ]] && break
  sleep 0.5
done
[[ "${count:-0}" == 10 ]] || fail "the sample's 10 items did not reach Elasticsearch (count: ${count:-none})" \
  "$WORK/ingest-producer.log" "$WORK/enrich-streams.log" "$WORK/index-sink.log"
ls "$HOME_DIR"/processed/*/sample.txt > /dev/null || fail "the sample is not in processed/" "$WORK/ingest-producer.log"
echo "smoke test passed: each service ran from its own folder as uid $( [[ $(id -u) == 0 ]] && echo 1000 || id -u ), and the sample's 10 items are searchable"
