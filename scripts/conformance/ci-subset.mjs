// The conformance tests `.ci/run` runs (`node scripts/conformance/run.mjs --ci`): required and
// optimal tests that involve no waiting (no `pause_after`, no disconnect, nor any dependency that
// does), so that they take seconds and do not depend on the machine's speed. One or more per area.
export const CI_SUBSET = [
  'cc-resp-private-shared',
  'cc-resp-no-store',
  'cc-resp-no-store-fresh',
  'heuristic-200-cached',
  'heuristic-201-not_cached',
  'status-200-fresh',
  'status-404-fresh',
  'status-200-stale',
  'vary-match',
  'vary-no-match',
  'vary-omit',
  'vary-syntax-star',
  'conditional-etag-strong-respond',
  'conditional-304-etag',
  'conditional-etag-precedence',
  'invalidate-POST',
  'invalidate-PUT',
  'invalidate-DELETE',
  'invalidate-M-SEARCH',
  'query-args-different',
  'query-args-same',
]
