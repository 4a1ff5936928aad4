/**
 * Lua scripts of the Redis store. Each runs atomically on the server, so an entry and its tag
 * index are written together and no tagged key survives an invalidation (ARCHITECTURE §3).
 */

/**
 * KEYS[1] = entry key, KEYS[2] = the entry's own tag list (`__kt:<key>`), KEYS[3..] = tag set
 * keys. ARGV[1] = value, ARGV[2] = ttl ms ('' = none). The entry's tag list says which tags it
 * carries now, so a re-set without a tag is spared by that tag's invalidation.
 * Tag sets carry a TTL at least as long as their longest member; a few random members are
 * checked on each write and dropped when they no longer exist, so churn cannot grow a tag set
 * without bound.
 */
export const SET_TAGGED = `
local ttl = ARGV[2]
if ttl == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
end
redis.call('UNLINK', KEYS[2])
for i = 3, #KEYS do redis.call('SADD', KEYS[2], KEYS[i]) end
if ttl ~= '' then redis.call('PEXPIRE', KEYS[2], ttl) end
for i = 3, #KEYS do
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
return 1
`

/**
 * KEYS = tag set keys, ARGV[1] = the store's key prefix. Unlinks every member that still carries
 * the tag (per its `<prefix>__kt:<key>` list), with its tag list, then the tag sets. Returns how
 * many entries were removed.
 */
export const INVALIDATE_TAGS = `
local removed = 0
local seen = {}
local prefix = ARGV[1]
for i = 1, #KEYS do
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
end
return removed
`

/** KEYS[1] = lease key, ARGV[1] = token. Deletes the lease only if we still own it. */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`
