/**
 * Lua scripts of the Redis store. Each runs atomically on the server, so an entry and its tag
 * index are written together and no tagged key survives an invalidation.
 */

/**
 * Lua helpers shared by the scripts. `now_ms` reads the server clock, so every process compares
 * times on one clock. `bump` gives a generation key a new value, larger than any it had (the
 * server time in µs, or one more), for `ttl` ms: a load that read the older value is refused.
 */
const HELPERS = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function bump(key, ttl)
  local t = redis.call('TIME')
  local v = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local cur = tonumber(redis.call('GET', key) or '0')
  if cur >= v then v = cur + 1 end
  redis.call('SET', key, string.format('%.0f', v), 'PX', ttl)
end
`

/**
 * Writes an entry with its tags: entry = KEYS[1], its own tag list (`__kt:<key>`) = KEYS[2], tag
 * sets = the `ntags` keys from KEYS[3], value = `value`, ttl = `ttl` ms ('' = none). The entry's
 * tag list says which tags it carries now, so a re-set without a tag is spared by that tag's
 * invalidation. Tag sets carry a TTL at least as long as their longest member; a few random
 * members are checked on each write and dropped when they no longer exist, so churn cannot grow
 * a tag set without bound.
 */
const WRITE = `
local function write(value, ttl, ntags)
  if ttl == '' then
    redis.call('SET', KEYS[1], value)
  else
    redis.call('SET', KEYS[1], value, 'PX', ttl)
  end
  redis.call('UNLINK', KEYS[2])
  for i = 3, 2 + ntags do redis.call('SADD', KEYS[2], KEYS[i]) end
  if ttl ~= '' and ntags > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
  for i = 3, 2 + ntags do
    local tagKey = KEYS[i]
    local existed = redis.call('EXISTS', tagKey)
    local pttl = redis.call('PTTL', tagKey)
    redis.call('SADD', tagKey, KEYS[1])
    if ttl == '' then
      redis.call('PERSIST', tagKey)
    elseif existed == 0 or (pttl >= 0 and pttl < tonumber(ttl)) then
      redis.call('PEXPIRE', tagKey, ttl)
    end
    local sample = redis.call('SRANDMEMBER', tagKey, 3)
    for _, member in ipairs(sample) do
      if redis.call('EXISTS', member) == 0 then redis.call('SREM', tagKey, member) end
    end
  end
end
`

/**
 * An overwriting write (\`set\`). KEYS[1] = entry, KEYS[2] = its tag list, KEYS[3..n-1] = tag
 * sets, KEYS[n] = the key's generation. ARGV[1] = value, ARGV[2] = ttl ms ('' = none),
 * ARGV[3] = generation ttl ms. The write bumps the generation: loads of the key that started
 * before it, in any process, are not stored after it.
 */
export const SET_TAGGED = `${HELPERS}${WRITE}
write(ARGV[1], ARGV[2], #KEYS - 3)
bump(KEYS[#KEYS], ARGV[3])
return 1
`

/**
 * Starts a load. KEYS[1] = the lease key when ARGV[1] (token) is not '', then the generation keys
 * that guard the load (key, tags, namespaces). ARGV[2] = lease ttl ms. Returns
 * [1 if the lease was taken, server time ms, generation values ('0' when absent)...].
 */
export const BEGIN_LOAD = `${HELPERS}
local taken = 0
local first = 1
if ARGV[1] ~= '' then
  first = 2
  if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then taken = 1 end
end
local out = { taken, now_ms() }
for i = first, #KEYS do out[#out + 1] = redis.call('GET', KEYS[i]) or '0' end
return out
`

/**
 * Stores a loaded value only if no invalidation ran since the load started. KEYS[1] = entry,
 * KEYS[2] = its tag list, then ARGV[3] tag sets, then the generation keys read by BEGIN_LOAD,
 * then the lease key when ARGV[6] (token) is not ''. ARGV[1] = value, ARGV[2] = ttl ms,
 * ARGV[4] = the load's start (server ms), ARGV[5] = how long generations live, ARGV[7..] = the
 * generation values read at the start. A load older than the generations' lifetime cannot be
 * checked and is refused. The lease, if given, is released in the same call. Returns 1 stored,
 * 0 refused (an invalidation ran), -1 refused (too old to check).
 */
export const SET_FENCED = `${HELPERS}${WRITE}
local ntags = tonumber(ARGV[3])
local ngens = #ARGV - 6
local token = ARGV[6]
local result = 1
if now_ms() - tonumber(ARGV[4]) >= tonumber(ARGV[5]) then
  result = -1
else
  for i = 1, ngens do
    if (redis.call('GET', KEYS[2 + ntags + i]) or '0') ~= ARGV[6 + i] then
      result = 0
      break
    end
  end
end
if result == 1 then write(ARGV[1], ARGV[2], ntags) end
if token ~= '' and redis.call('GET', KEYS[#KEYS]) == token then redis.call('DEL', KEYS[#KEYS]) end
return result
`

/**
 * Deletes an entry. KEYS[1] = entry, KEYS[2] = its tag list, KEYS[3] = its generation;
 * ARGV[1] = generation ttl ms. Returns 1 when the entry existed.
 */
export const DELETE_KEY = `${HELPERS}
local removed = redis.call('UNLINK', KEYS[1])
redis.call('UNLINK', KEYS[2])
bump(KEYS[3], ARGV[1])
return removed
`

/** Bumps the generation KEYS[1] for ARGV[1] ms (a namespace clear). */
export const BUMP = `${HELPERS}
bump(KEYS[1], ARGV[1])
return 1
`

/**
 * KEYS = tag set keys, then as many tag generation keys; ARGV[1] = the store's key prefix,
 * ARGV[2] = generation ttl ms. Unlinks every member that still carries the tag (per its
 * `<prefix>__kt:<key>` list), with its tag list, then the tag sets, and bumps the tags'
 * generations so loads of those tags already running are not stored. Returns how many entries
 * were removed.
 */
export const INVALIDATE_TAGS = `${HELPERS}
local removed = 0
local seen = {}
local prefix = ARGV[1]
local ntags = #KEYS / 2
for i = 1, ntags do
  local members = redis.call('SMEMBERS', KEYS[i])
  for _, m in ipairs(members) do
    local kt = prefix .. '__kt:' .. string.sub(m, #prefix + 1)
    if not seen[m] and redis.call('SISMEMBER', kt, KEYS[i]) == 1 then
      seen[m] = true
      removed = removed + redis.call('UNLINK', m)
      redis.call('UNLINK', kt)
    end
  end
  redis.call('UNLINK', KEYS[i])
  bump(KEYS[ntags + i], ARGV[2])
end
return removed
`

/** KEYS[1] = lease key, ARGV[1] = token, ARGV[2] = ttl ms. Extends the lease only if we still own it. */
export const REFRESH_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`

/** KEYS[1] = lease key, ARGV[1] = token. Deletes the lease only if we still own it. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`
