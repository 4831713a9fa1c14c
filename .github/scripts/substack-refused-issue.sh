#!/usr/bin/env bash
# The weekly Substack sync's one issue about refused routes (.github/workflows/substack-sync.yml).
#
#   .github/scripts/substack-refused-issue.sh open REPORT   # both routes refused: open the
#                                                           # issue, or comment on it if open
#   .github/scripts/substack-refused-issue.sh close         # the import worked again: close it
#
# The issue is found by its label (substack-sync) and its fixed title, so there is never
# more than one. Needs `gh` with GH_TOKEN and GH_REPO set (permissions: issues: write).
set -euo pipefail
title="Substack sync: the feed and the archive API were refused"
label="substack-sync"
action="${1:?usage: substack-refused-issue.sh open REPORT | close}"

open_issue="$(gh issue list --state open --label "$label" --search "\"$title\" in:title" \
  --json number,title --jq ".[] | select(.title == \"$title\") | .number" | head -n 1)"

case "$action" in
  open)
    body="$(mktemp)"
    trap 'rm -f "$body"' EXIT
    {
      echo "The weekly sync could not read the newsletter: \`newsarchive import-feed\` was"
      echo "refused by the feed and by the archive API (exit status 3). Nothing was imported."
      echo "It tries again next week; to import now, run it by hand later, or import"
      echo "Substack's export with \`newsarchive import-substack EXPORT\`."
      echo
      echo '```'
      cat "${2:?usage: substack-refused-issue.sh open REPORT}"
      echo '```'
    } >"$body"
    if [ -n "$open_issue" ]; then
      gh issue comment "$open_issue" --body-file "$body"
    else
      gh label create "$label" --force --color d93f0b \
        --description "The weekly Substack sync could not read the newsletter"
      gh issue create --title "$title" --label "$label" --body-file "$body"
    fi
    ;;
  close)
    if [ -n "$open_issue" ]; then
      gh issue close "$open_issue" --comment "The weekly sync read the newsletter again."
    fi
    ;;
  *)
    echo "usage: substack-refused-issue.sh open REPORT | close" >&2
    exit 2
    ;;
esac
