#!/usr/bin/env bash
# Test helper: prints what the bash completion function offers for each case.
# Usage: bash capture-bash-completion.bash SCRIPT  N WORD... [N WORD...]...
# Each case is its word count then its words, the last one being the word completed. For each
# case it prints `<the words joined with spaces>` and then one offer per line.
source "$1"
shift
while [ $# -gt 0 ]; do
  n=$1
  shift
  COMP_WORDS=("${@:1:n}")
  shift "$n"
  COMP_CWORD=$((n - 1))
  COMPREPLY=()
  _cachectl
  printf '<%s>\n' "${COMP_WORDS[*]}"
  printf '%s\n' "${COMPREPLY[@]}"
done
