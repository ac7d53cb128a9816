#!/bin/sh
# Builds one service's runnable folder: OUT/lib/ holds the module's jar and its runtime dependencies,
# and nothing of the test-only modules. Run from the repository root:
#   docker/build-service.sh index-sink /tmp/index-sink
# The Dockerfile runs exactly this; .ci/run runs it too, on a clean clone, and starts the result
# against the local stack (docker/smoke-test-service-builds.sh), because Docker cannot run there.
set -eu
MODULE=${1:?usage: build-service.sh MODULE OUT}
OUT=${2:?usage: build-service.sh MODULE OUT}

# One reactor run: the module and the modules it depends on (-am: schemas, service-kit), packaged,
# then each one's runtime dependencies copied next to it. Sibling snapshots resolve from this reactor,
# so nothing has to be installed first.
mvn -B -q ${MAVEN_BUILD_OPTS:-} -Dmaven.test.skip=true -pl "$MODULE" -am package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory=target/lib

rm -rf "$OUT"
mkdir -p "$OUT/lib"
cp "$MODULE"/target/lib/*.jar "$OUT/lib/"
cp "$MODULE/target/$MODULE"-*.jar "$OUT/lib/"

# Test-only modules (the local stack, the embedded ES node, the test stack) never reach an image.
if ls "$OUT/lib" | grep -Eq '^(local-stack|es-node|test-stack|elasticsearch-[0-9]|kafka_2)'; then
  echo "build-service.sh: a test-only module or server jar reached $OUT/lib:" >&2
  ls "$OUT/lib" | grep -E '^(local-stack|es-node|test-stack|elasticsearch-[0-9]|kafka_2)' >&2
  exit 1
fi
echo "$MODULE: $(ls "$OUT/lib" | wc -l) jars in $OUT/lib"
