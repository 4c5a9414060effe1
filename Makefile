.PHONY: run test setup test-llm eval bench bench-scale train-judge

run:        ## set up, ingest the sample corpus if needed, start the app on 127.0.0.1:8501
	bash scripts/run.sh

test:       ## set up and run the test suite
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

test-llm:   ## set up, install llama-cpp-python + Gemma 3 270M if missing, run the real-LLM tests (marker llm)
	bash scripts/test_llm.sh

eval:       ## the evaluations: retrieval (this system and its peers) on the sample corpus; the decisions (eval/decisions.py)
	bash scripts/setup.sh && .venv/bin/python eval/run_eval.py && .venv/bin/python eval/decisions.py

train-judge: ## train the relevance judge's head, fit its three-state band (eval/train_judge.py; 2 CPUs: ~45 min the first time, then ~3)
	bash scripts/setup.sh && .venv/bin/python eval/train_judge.py

bench:      ## the ingest benchmark on the sample corpus (see bench/README.md)
	bash scripts/setup.sh && .venv/bin/python bench/ingest_bench.py

bench-scale: ## the scale benchmark on Folketinget speeches (50k chunks; hours the first time, see bench/README.md)
	bash scripts/setup.sh && .venv/bin/python bench/fill_cache.py --chunks 50000 && .venv/bin/python bench/scale_bench.py
