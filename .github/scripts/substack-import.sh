#!/usr/bin/env bash
# The weekly Substack sync's import step (.github/workflows/substack-sync.yml), kept here so
# that tests/test_substack_refused.py can run it as the workflow does.
#
#   .github/scripts/substack-import.sh FEED
#
# Runs `newsarchive import-feed FEED` (which turns to the archive API when a Substack feed
# is refused), prints its log and keeps it in $IMPORT_LOG (import.log). It writes to
# $GITHUB_OUTPUT
#   outcome=imported  new pages were written (the pull request step runs)
#   outcome=none      nothing new
#   outcome=refused   exit status 3: the feed and the archive API were both refused (a bot
#                     check, an HTTP error, an HTML page, no answer); the workflow opens or
#                     updates its issue instead of failing silently
# and the log as `report`. Exit status 0 for those three; otherwise import-feed's own
# (1: posts that could not be read and nothing written; 2: a usage error), which fails
# the job with the log above it.
set -u
feed="${1:?usage: substack-import.sh FEED}"
newsarchive="${NEWSARCHIVE:-.venv/bin/newsarchive}"
log="${IMPORT_LOG:-import.log}"

"$newsarchive" import-feed "$feed" >"$log" 2>&1
status=$?
cat "$log"

if [ "$status" -eq 3 ]; then
  outcome=refused
elif grep -Eq '^issues: [1-9][0-9]* written' "$log"; then
  outcome=imported  # exit status 1 here: something kept as text, said in the pull request
elif [ "$status" -eq 0 ]; then
  outcome=none
else
  exit "$status"
fi

{
  echo "outcome=$outcome"
  echo "report<<NEWSARCHIVE_REPORT_END"
  cat "$log"
  echo "NEWSARCHIVE_REPORT_END"
} >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
