-- The wrk script of every page of `make bench` (bench/measure.py sets the environment):
-- BENCH_METHOD and BENCH_BODY are the request (a form-encoded POST for a form), and the answers whose
-- status is not BENCH_EXPECT_STATUS (200, or 302 for a form that redirects to its receipt) are counted
-- and printed as "Unexpected status: N". wrk itself counts only 4xx and 5xx: a page that redirected to
-- the login would otherwise look fast and faultless. The same script runs for the bare views, so its
-- small cost per answer is in the baseline too.

local expected = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "200")
local body = os.getenv("BENCH_BODY") or ""

wrk.method = os.getenv("BENCH_METHOD") or "GET"
if body ~= "" then
  wrk.body = body
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
  end
  io.write(string.format("Unexpected status: %d\n", total))
end
