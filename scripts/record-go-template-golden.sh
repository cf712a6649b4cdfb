#!/usr/bin/env bash
# Regenerates the recorded Go outputs of the template golden table with Go's own text/template (needs Go:
# `apt-get install golang-go`). CI does not run Go; src/core/templates/go-template-golden.test.ts compares
# our engine against the recorded file.
set -euo pipefail
cd "$(dirname "$0")/.."
cases=src/core/templates/golden/go-template-cases.json
expected=src/core/templates/golden/go-template-expected.json
GO111MODULE=off go run scripts/go-template-oracle/main.go "$cases" > "$expected.tmp"
mv "$expected.tmp" "$expected"
echo "recorded $(grep -c '"name"' "$expected") Go outputs in $expected"
