# Shortcuts for ./dev.sh, which also works where `make` is not installed.
.PHONY: demo test setup lab bench web

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

web:
	./dev.sh web
