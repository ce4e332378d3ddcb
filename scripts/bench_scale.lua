-- wrk script of scripts/bench-scale for the API's lists:
--   wrk ... -s scripts/bench_scale.lua URL -- PATH THREADS [LIMIT]
--
-- Tavla keeps public JSON answers in memory by their exact URL. So that every
-- request takes the uncached path and yet asks the very same query, each one
-- spells its `limit` (20 unless LIMIT says otherwise) its own way: with 0-63 leading zeros, then
-- 0-63 empty `&` pairs, which the query parser skips. Changing a filter such
-- as `to=` instead would change the SQL being measured. bench-scale also
-- runs Tavla with its cache off (TAVLA_CACHE_BYTES=0); the 4096 spellings
-- keep the requests distinct should it be on, each thread taking its own
-- share of them.

local threads = 0

function setup(thread)
   thread:set("id", threads)
   threads = threads + 1
end

function init(args)
   path = args[1]
   nthreads = tonumber(args[2])
   limit = args[3] or "20"
   separator = path:find("?", 1, true) and "&" or "?"
   counter = 0
end

function request()
   local k = counter * nthreads + id
   counter = counter + 1
   local zeros = string.rep("0", k % 64)
   local ampersands = string.rep("&", math.floor(k / 64) % 64)
   return wrk.format(nil, path .. separator .. "limit=" .. zeros .. limit .. ampersands)
end
