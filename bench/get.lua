-- wrk script: GET /v1/hazards/{id} for random ids of the generated set.
--
-- Environment: BENCH_TOKEN (an office token), BENCH_HAZARDS (ids are
-- 1..BENCH_HAZARDS).  The same requests go to the static baseline, which
-- ignores path and token.

local token = os.getenv("BENCH_TOKEN") or ""
local hazards = tonumber(os.getenv("BENCH_HAZARDS") or "1000000")
local next_id = 1

function setup(thread)
	thread:set("thread_id", next_id)
	next_id = next_id + 1
end

local headers = { ["Authorization"] = "Bearer " .. token }

function init(args)
	math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
	return wrk.format("GET", "/v1/hazards/" .. math.random(hazards), headers)
end
