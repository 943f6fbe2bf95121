#!/usr/bin/env bash
# The real servers the integration tests use: a single-node Kafka 4.4.0 broker (KRaft) and S3Proxy 4.1.0 as the
# S3 server, both on free 127.0.0.1 ports, both from Maven Central (see shared/docs/servers.md).
#
#   bash .ci/servers.sh start   # fetch jars if needed, start both, write .ci/servers/state/env
#   source .ci/servers/state/env; bash .ci/servers.sh mvn-args   # the -D flags to give Maven
#   bash .ci/servers.sh stop    # stop both (by PID) and delete their data
#
# .ci/run sources this file for its functions.
set -euo pipefail

CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVERS_DIR=$CI_DIR/servers
STATE_DIR=$SERVERS_DIR/state
KAFKA_LIBS=$SERVERS_DIR/kafka-libs
S3PROXY_JAR=$SERVERS_DIR/s3proxy-4.1.0-jar-with-dependencies.jar
# any fixed base64 UUID: the data dir is formatted fresh at every start
KAFKA_CLUSTER_ID=bk5VTmV0Q0lDbHVzdGVyMQ
S3_ACCESS_KEY=nnunet-ci
S3_SECRET_KEY=nnunet-ci-secret-0123456789
S3_BUCKET=nnunet
START_TIMEOUT_S=${NNUNET_SERVER_START_TIMEOUT:-120}

log() { echo "[servers] $*" >&2; }

fetch_servers() {
    mkdir -p "$SERVERS_DIR"
    if [[ ! -f $KAFKA_LIBS/.complete ]]; then
        log "fetching Kafka broker jars into $KAFKA_LIBS"
        rm -rf "$KAFKA_LIBS"
        mvn -B -q -ntp -Dstyle.color=never -f "$CI_DIR/servers-pom.xml" dependency:copy-dependencies \
            -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" >&2
        touch "$KAFKA_LIBS/.complete"
    fi
    if [[ ! -f $S3PROXY_JAR ]]; then
        log "fetching S3Proxy into $SERVERS_DIR"
        mvn -B -q -ntp -Dstyle.color=never -f "$CI_DIR/servers-pom.xml" dependency:copy \
            -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$SERVERS_DIR" >&2
    fi
}

# prints N distinct ports that are free on 127.0.0.1 right now
free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

port_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# true if the PID in $1 is alive and is one of our servers (a stale PID file may name a reused PID)
our_server_running() {
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "-Dnnunet.ci.server=$STATE_DIR"
}

stop_servers() {
    local pidfile pid i
    for pidfile in "$STATE_DIR"/*.pid; do
        [[ -e $pidfile ]] || continue
        if our_server_running "$pidfile"; then
            pid=$(cat "$pidfile")
            log "stopping $(basename "$pidfile" .pid) (pid $pid)"
            kill "$pid" 2>/dev/null || true
            for i in $(seq 1 40); do
                our_server_running "$pidfile" || break
                sleep 0.25
            done
            if our_server_running "$pidfile"; then
                kill -9 "$pid" 2>/dev/null || true
            fi
        fi
        rm -f "$pidfile"
    done
    rm -rf "$STATE_DIR/data" "$STATE_DIR/env"
}

wait_for() {  # wait_for NAME PIDFILE LOG CHECK_COMMAND...
    local name=$1 pidfile=$2 logfile=$3
    shift 3
    local deadline=$((SECONDS + START_TIMEOUT_S))
    until "$@"; do
        if ! our_server_running "$pidfile"; then
            log "$name exited during startup; last lines of $logfile:"
            tail -n 40 "$logfile" >&2
            return 1
        fi
        if ((SECONDS > deadline)); then
            log "$name not ready after ${START_TIMEOUT_S}s; last lines of $logfile:"
            tail -n 40 "$logfile" >&2
            return 1
        fi
        sleep 0.5
    done
}

# a port found free can be taken by another process before the server binds it: retry with new ports
start_servers() {
    fetch_servers
    local attempt
    for attempt in 1 2 3; do
        stop_servers
        if try_start_servers; then
            return 0
        fi
        log "start attempt $attempt failed"
    done
    stop_servers
    return 1
}

try_start_servers() {
    mkdir -p "$STATE_DIR/data/kafka" "$STATE_DIR/data/s3/$S3_BUCKET"
    local ports kafka_port controller_port s3_port t0=$SECONDS
    ports=$(free_ports 3)
    read -r kafka_port controller_port s3_port <<<"$ports"

    cat >"$STATE_DIR/log4j2.properties" <<CONF
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
CONF
    cat >"$STATE_DIR/kafka.properties" <<CONF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STATE_DIR/data/kafka
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
CONF
    java -cp "$KAFKA_LIBS/*" -Dlog4j2.configurationFile="$STATE_DIR/log4j2.properties" kafka.tools.StorageTool \
        format -t "$KAFKA_CLUSTER_ID" -c "$STATE_DIR/kafka.properties" >"$STATE_DIR/kafka-format.log" 2>&1 \
        || { cat "$STATE_DIR/kafka-format.log" >&2; return 1; }
    java -Xmx512m -Dnnunet.ci.server="$STATE_DIR" -Dlog4j2.configurationFile="$STATE_DIR/log4j2.properties" \
        -cp "$KAFKA_LIBS/*" kafka.Kafka "$STATE_DIR/kafka.properties" >"$STATE_DIR/kafka.log" 2>&1 </dev/null &
    echo $! >"$STATE_DIR/kafka.pid"

    cat >"$STATE_DIR/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$STATE_DIR/data/s3
CONF
    java -Xmx256m -Dnnunet.ci.server="$STATE_DIR" -jar "$S3PROXY_JAR" --properties "$STATE_DIR/s3proxy.conf" \
        >"$STATE_DIR/s3proxy.log" 2>&1 </dev/null &
    echo $! >"$STATE_DIR/s3proxy.pid"

    wait_for S3Proxy "$STATE_DIR/s3proxy.pid" "$STATE_DIR/s3proxy.log" port_answers "$s3_port" || return 1
    wait_for Kafka "$STATE_DIR/kafka.pid" "$STATE_DIR/kafka.log" \
        grep -q 'Kafka Server started' "$STATE_DIR/kafka.log" || return 1

    cat >"$STATE_DIR/env" <<ENV
export NNUNET_S3_ENDPOINT=http://127.0.0.1:$s3_port
export NNUNET_S3_ACCESS_KEY=$S3_ACCESS_KEY
export NNUNET_S3_SECRET_KEY=$S3_SECRET_KEY
export NNUNET_S3_BUCKET=$S3_BUCKET
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port
ENV
    log "Kafka on 127.0.0.1:$kafka_port, S3Proxy on 127.0.0.1:$s3_port (bucket $S3_BUCKET), ready in $((SECONDS - t0)) s"
}

# the Maven -D flags for the running servers (reads the env file written by start_servers), and where the server
# jars are, for the fault tests that start private, restartable servers (service-common's PrivateKafka, PrivateS3)
maven_server_args() {
    # shellcheck disable=SC1091
    source "$STATE_DIR/env"
    echo "-Dnnunet.s3.endpoint=$NNUNET_S3_ENDPOINT -Dnnunet.s3.access-key=$NNUNET_S3_ACCESS_KEY" \
        "-Dnnunet.s3.secret-key=$NNUNET_S3_SECRET_KEY -Dnnunet.s3.bucket=$NNUNET_S3_BUCKET" \
        "-Dkafka.bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS" \
        "-Dnnunet.kafka.libs=$KAFKA_LIBS -Dnnunet.s3proxy.jar=$S3PROXY_JAR"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    case ${1:-} in
        start) start_servers; cat "$STATE_DIR/env" ;;
        stop) stop_servers ;;
        mvn-args) maven_server_args ;;
        *) echo "usage: $0 start|stop|mvn-args" >&2; exit 2 ;;
    esac
fi
