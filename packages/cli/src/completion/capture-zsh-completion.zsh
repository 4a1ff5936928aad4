#!/usr/bin/env zsh
# Test helper: what zsh offers for command lines, as a user pressing TAB would see it (an
# interactive zsh on a pseudo-terminal, with compinit and the completion SCRIPT loaded once).
# Usage: zsh -f capture-zsh-completion.zsh SCRIPT 'cachectl ex' 'cachectl export --pro' ...
# Prints, for each line, a line `<line>` and then one match a line.
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT=''; RPROMPT=''"
zpty -w z "autoload -Uz compinit; compinit -u -D"
zpty -w z "source ${(q)1}"
# Print what each compadd call adds, between markers, instead of listing it on the screen.
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits; builtin compadd -A __hits "$@"; local ret=$?
  (( $#__hits )) && print -rl -- "" "<hi""ts>" $__hits "</hi""ts>"
  return $ret
}'
# The quotes split each marker in the echoed command line, so only the output matches.
zpty -w z "print -r -- '<rea''dy>'"
local out line
zpty -r z out '*<ready>*'
for line in "${@[2,-1]}"; do
  zpty -w -n z "$line"$'\t'
  zpty -w z $'\C-u'"print -r -- '<e''nd>'"
  zpty -r z out '*<end>*'
  print -r -- "<$line>"
  print -r -- "${out//$'\r'/}" | sed -n '/^<hits>/,/^<\/hits>/p' | grep -v '^<'
done
zpty -d z
