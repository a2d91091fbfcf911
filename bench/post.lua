-- wrk script: POST /v1/hazards with a unique Idempotency-Key per request.
--
-- Environment: BENCH_TOKEN (an office token), BENCH_SCHOOLS (how many
-- schools, coded S0001...), BENCH_NONCE (unique per run, so that no key
-- of an earlier run is replayed: a replay is a cheaper 200, not a write).
-- The same requests go to the baseline, which stores the body as it is.

local token = os.getenv("BENCH_TOKEN") or ""
local schools = tonumber(os.getenv("BENCH_SCHOOLS") or "3000")
local nonce = os.getenv("BENCH_NONCE") or tostring(os.time())
local next_id = 1

-- Gives each thread its own number, for its keys.
function setup(thread)
	thread:set("thread_id", next_id)
	next_id = next_id + 1
end

local counter = 0
local auth = "Bearer " .. token

function init(args)
	math.randomseed(os.time() * 1000 + (thread_id or 0))
end

-- A report as a school sends it (about 300 bytes of JSON).
function request()
	counter = counter + 1
	local body = string.format('{"school":"S%04d","title":"东楼安全出口堵塞",' ..
	    '"category":"fire","location":"东楼一层","responsible":"王老师",' ..
	    '"description":"自查发现安全出口被杂物堵塞，已设置临时警示。",' ..
	    '"deadline":"2030-12-01"}', math.random(schools))
	return wrk.format("POST", "/v1/hazards", {
		["Authorization"] = auth,
		["Content-Type"] = "application/json",
		["Idempotency-Key"] = string.format("bench-%s-%d-%d", nonce,
		    thread_id or 0, counter),
	}, body)
end
