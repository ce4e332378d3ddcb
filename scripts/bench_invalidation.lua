-- wrk script of scripts/bench-invalidation: each request takes the next path
-- of the file PATHS (one per line), round and round.
--   wrk ... -s scripts/bench_invalidation.lua URL -- PATHS

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   counter = math.random(#paths)
end

function request()
   counter = counter % #paths + 1
   return wrk.format("GET", paths[counter])
end
