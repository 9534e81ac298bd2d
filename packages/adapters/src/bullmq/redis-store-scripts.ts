/**
 * Lua scripts of the Redis job store: each read-modify-write runs as one script, so it is atomic
 * across every process sharing the Redis. A job is a hash with one field per record field (its
 * JSON) and hidden fields `~u` (the encoded user id), `~c`, `~s`, `~f` (created, started, finished
 * time in ms) and `~i` (the idempotency slot). Indexes are sorted sets scored by creation time:
 * `all`, `status:<s>`, `user:<u>`, `user:<u>:<s>`, and `finished` scored by finish time.
 */

/**
 * KEYS: job hash, idempotency hash.
 * ARGV: prefix, id, encoded user, status, created ms, finished ms or '', idempotency slot or '',
 * then field/value pairs. Returns {'created'}, {'existing', id} or {'conflict'}.
 */
export const CREATE_JOB = `
local p, id, u, s, c = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
if redis.call('EXISTS', KEYS[1]) == 1 then return {'conflict'} end
if ARGV[7] ~= '' then
  local existing = redis.call('HGET', KEYS[2], ARGV[7])
  if existing and redis.call('EXISTS', p .. ':job:' .. existing) == 1 then return {'existing', existing} end
end
local fields = {'~u', u, '~c', c}
if ARGV[6] ~= '' then fields[#fields + 1] = '~f'; fields[#fields + 1] = ARGV[6] end
if ARGV[7] ~= '' then fields[#fields + 1] = '~i'; fields[#fields + 1] = ARGV[7] end
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', p .. ':all', c, id)
redis.call('ZADD', p .. ':status:' .. s, c, id)
redis.call('ZADD', p .. ':user:' .. u, c, id)
redis.call('ZADD', p .. ':user:' .. u .. ':' .. s, c, id)
if ARGV[6] ~= '' then redis.call('ZADD', p .. ':finished', ARGV[6], id) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], ARGV[7], id) end
return {'created'}
`;

/**
 * KEYS: job hash.
 * ARGV: prefix, id, condition (JSON: status[], attemptId, runId, absent[]), attempts to add,
 * new status or '', finished ms / 'unset' / '', number of pairs N, N field/value pairs, then
 * fields to delete. Returns the updated hash (flat), or nil when missing or the condition fails.
 */
export const UPDATE_JOB = `
local key, p, id = KEYS[1], ARGV[1], ARGV[2]
local current = redis.call('HGET', key, 'status')
if not current then return nil end
local status = cjson.decode(current)
local cond = cjson.decode(ARGV[3])
if type(cond.status) == 'table' then
  local ok = false
  for _, s in ipairs(cond.status) do if s == status then ok = true end end
  if not ok then return nil end
end
for _, field in ipairs({'attemptId', 'runId'}) do
  if type(cond[field]) == 'string' then
    local value = redis.call('HGET', key, field)
    if not value or cjson.decode(value) ~= cond[field] then return nil end
  end
end
if type(cond.absent) == 'table' then
  for _, field in ipairs(cond.absent) do
    if redis.call('HEXISTS', key, field) == 1 then return nil end
  end
end
local n = tonumber(ARGV[7])
if n > 0 then
  local sets = {}
  for i = 8, 7 + 2 * n do sets[#sets + 1] = ARGV[i] end
  redis.call('HSET', key, unpack(sets))
end
for i = 8 + 2 * n, #ARGV do redis.call('HDEL', key, ARGV[i]) end
local add = tonumber(ARGV[4])
if add ~= 0 then redis.call('HINCRBY', key, 'attempts', add) end
local nextStatus = ARGV[5]
if nextStatus ~= '' and nextStatus ~= status then
  local u = redis.call('HGET', key, '~u')
  local c = redis.call('HGET', key, '~c')
  redis.call('ZREM', p .. ':status:' .. status, id)
  redis.call('ZADD', p .. ':status:' .. nextStatus, c, id)
  redis.call('ZREM', p .. ':user:' .. u .. ':' .. status, id)
  redis.call('ZADD', p .. ':user:' .. u .. ':' .. nextStatus, c, id)
end
if ARGV[6] == 'unset' then
  redis.call('ZREM', p .. ':finished', id)
elseif ARGV[6] ~= '' then
  redis.call('ZADD', p .. ':finished', ARGV[6], id)
end
return redis.call('HGETALL', key)
`;

/** KEYS: job hash, idempotency hash. ARGV: prefix, id. Returns 1 when a job was deleted. */
export const DELETE_JOB = `
local key, p, id = KEYS[1], ARGV[1], ARGV[2]
local f = redis.call('HMGET', key, 'status', '~u', '~i')
if not f[1] then return 0 end
local s, u = cjson.decode(f[1]), f[2]
redis.call('ZREM', p .. ':all', id)
redis.call('ZREM', p .. ':status:' .. s, id)
redis.call('ZREM', p .. ':user:' .. u, id)
redis.call('ZREM', p .. ':user:' .. u .. ':' .. s, id)
redis.call('ZREM', p .. ':finished', id)
if f[3] and redis.call('HGET', KEYS[2], f[3]) == id then redis.call('HDEL', KEYS[2], f[3]) end
redis.call('DEL', key)
return 1
`;

/**
 * ARGV: prefix, index name (`all` or `user:<u>`), since ms. Returns JSON: counts by status,
 * total, and p50/p95 of render seconds of the successful jobs (nearest rank).
 */
export const SUMMARIZE_JOBS = `
local p = ARGV[1]
local ids = redis.call('ZRANGEBYSCORE', p .. ':' .. ARGV[2], ARGV[3], '+inf')
local counts, seconds, total = {}, {}, 0
for _, id in ipairs(ids) do
  local f = redis.call('HMGET', p .. ':job:' .. id, 'status', '~s', '~f')
  if f[1] then
    local s = cjson.decode(f[1])
    counts[s] = (counts[s] or 0) + 1
    total = total + 1
    if s == 'success' and f[2] and f[3] then seconds[#seconds + 1] = (tonumber(f[3]) - tonumber(f[2])) / 1000 end
  end
end
table.sort(seconds)
local function at(q)
  if #seconds == 0 then return cjson.null end
  return seconds[math.min(#seconds, math.floor(q * #seconds) + 1)]
end
return cjson.encode({ counts = counts, total = total, p50 = at(0.5), p95 = at(0.95), count = #seconds })
`;
