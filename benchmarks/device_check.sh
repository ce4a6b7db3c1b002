#!/usr/bin/env bash
# The JAX-on-GPU check, run on a GPU machine from the repository root:
#   1. storax's own tests on the JAX backend (arrays on the GPU);
#   2. benchmarks/bench_jax.py (writes a "JAX backend on GPU" section into
#      docs/performance.md);
#   3. the ecosystem tests (SciPy, scikit-learn, DLPack interop);
#   4. the official array-api-tests suite on the JAX backend, if a copy of it is in
#      $ARRAY_API_TESTS (see docs/conformance.md).
# Logs go to $OUT (default /tmp/device-check). Each step has its own time limit.
set -u
OUT=${OUT:-/tmp/device-check}
mkdir -p "$OUT"
export PYTHONPATH=$PWD/src${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
# several test processes share the GPU: no process may take most of its memory up front
export XLA_PYTHON_CLIENT_PREALLOCATE=false STORAX_BACKEND=jax
WORKERS=${WORKERS:-8}

nvidia-smi -L | tee "$OUT/device.txt"
python3 -c "import jax, numpy; print('jax', jax.__version__, 'numpy', numpy.__version__, jax.devices())" \
    | tee -a "$OUT/device.txt"

echo "== storax tests on the JAX backend"
timeout "${TESTS_TIMEOUT:-240}" python3 -m pytest tests -q -p no:cacheprovider -p no:benchmark \
    -n "$WORKERS" --ignore=tests/ecosystem -rfE --tb=short 2>&1 | tee "$OUT/tests.log" | tail -40

echo "== bench_jax.py"
timeout "${BENCH_TIMEOUT:-120}" python3 benchmarks/bench_jax.py 2>&1 | tee "$OUT/bench.log"
cp docs/performance.md "$OUT/performance.md"

echo "== ecosystem (SciPy, scikit-learn, interop) on the JAX backend"
SCIPY_ARRAY_API=1 timeout "${ECO_TIMEOUT:-150}" python3 -m pytest tests/ecosystem -q \
    -p no:cacheprovider -p no:benchmark -n "$WORKERS" -rfE --tb=line 2>&1 \
    | tee "$OUT/ecosystem.log" | tail -40

if [ -n "${ARRAY_API_TESTS:-}" ]; then
    echo "== array-api-tests on the JAX backend (2025.12)"
    (cd "$ARRAY_API_TESTS" && ARRAY_API_TESTS_MODULE=storax ARRAY_API_TESTS_VERSION=2025.12 \
        STORAX_API_VERSION=2025.12 PYTHONHASHSEED=0 timeout "${SUITE_TIMEOUT:-200}" \
        python3 -m pytest array_api_tests -p no:cacheprovider -p no:benchmark -q \
        --disable-deadline --derandomize --max-examples="${MAX_EXAMPLES:-50}" -n "$WORKERS" \
        --xfails-file "$OLDPWD/conformance/jax-xfails.txt" -rfE --tb=short 2>&1 \
        | tee "$OUT/suite.log" | tail -40)
fi
