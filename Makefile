# Shortcuts for ./dev.sh, which also works where `make` is not installed.
.PHONY: demo test setup lab bench bench-versions web

demo:
	./dev.sh demo

test:
	./dev.sh test

setup:
	./dev.sh setup

lab:
	./dev.sh lab

bench:
	./dev.sh bench

bench-versions:
	./dev.sh bench-versions

web:
	./dev.sh web
