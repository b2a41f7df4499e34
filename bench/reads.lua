-- wrk script: GET a path drawn at random from `paths`, with `token` as a bearer token when it
-- is not empty. Both are prepended by bench/reads.sh, one list per scenario.
local auth = {}
if token ~= "" then auth = {["Authorization"] = "Bearer " .. token} end

setup = function(thread)
  thread:set("seed", math.random(1, 1000000))
end

init = function()
  math.randomseed(seed + os.time())
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)], auth)
end
