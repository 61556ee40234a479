/** The Lua scripts the Redis store runs where a read and a write must be one step. */

/** Sets the lease when it is free or already the owner's, with its expiry; 1 when the owner holds it. */
export const TRY_LEASE = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`

/**
 * Deletes the key only while it still holds the given value: a lease its owner holds (it may have
 * expired and been taken meanwhile), a claim still running under its fingerprint (an answer kept
 * meanwhile stays).
 */
export const DELETE_IF_HOLDS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`
