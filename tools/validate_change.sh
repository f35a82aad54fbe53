#!/usr/bin/env bash
# The composite action's check (action.yml): validate the report files a change adds, changes, deletes or
# renames, then (CHECK_ALL) the plan and every report. Everything comes in through the environment:
#   ASEANWP    the aseanwp command          PLAN      the plan file     REPORTS  the reports folder ('': beside
#   STRICT     "true": --strict on the      CHECK_ALL "true": also the           the plan)
#              changed files                          whole folder      BASE     the commit to compare with
# File names travel as NUL-separated lists, from `git diff -z` to `aseanwp validate --paths-from`: a name is
# never parsed by the shell, whatever it holds ($(...), spaces, quotes, line breaks).
set -euo pipefail

aseanwp="${ASEANWP:-aseanwp}"
plan="${PLAN:-data/workplan.yaml}"
reports="${REPORTS:-}"
if [[ -z "$reports" ]]; then
    reports="$(dirname -- "$plan")/reports"
fi
global=(--plan "$plan" --reports "$reports")
strict=()
if [[ "${STRICT:-true}" == "true" ]]; then
    strict=(--strict)
fi

status=0
base="${BASE:-}"
if [[ -n "$base" && "$base" != 0000000000000000000000000000000000000000 ]]; then
    # resolved to a commit id first: a base that looks like an option never reaches git diff as one
    if ! sha="$(git rev-parse --verify --quiet --end-of-options "${base}^{commit}")"; then
        echo "::error title=aseanwp::the base commit is not in the checkout: use actions/checkout with fetch-depth: 0"
        exit 1
    fi
    lists="$(mktemp -d)"
    # --no-renames: a renamed report is a deletion (an error) and a new name (checked like any file)
    git diff -z --name-only --no-renames --diff-filter=ACMRT "$sha" HEAD -- "$reports" > "$lists/changed"
    git diff -z --name-only --no-renames --diff-filter=D "$sha" HEAD -- "$reports" > "$lists/deleted"
    if [[ -s "$lists/changed" || -s "$lists/deleted" ]]; then
        "$aseanwp" "${global[@]}" validate --format github "${strict[@]}" \
            --paths-from "$lists/changed" --deleted-from "$lists/deleted" || status=$?
    else
        echo "aseanwp: the change touches no file in $reports"
    fi
else
    # no base (a manual run, a new branch): every report is the submission
    "$aseanwp" "${global[@]}" validate --format github "${strict[@]}" || status=$?
fi

if [[ "${CHECK_ALL:-true}" == "true" ]]; then
    "$aseanwp" "${global[@]}" validate --format github || status=$?
fi
exit "$status"
