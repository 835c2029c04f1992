# Shortcuts for ./dev.sh, which also works where `make` is not installed.
.PHONY: demo test setup bench

demo:
	./dev.sh demo

test:
	./dev.sh test

setup:
	./dev.sh setup

bench:
	./dev.sh bench
