-- The wrk script of every page of `make bench` (bench/measure.py sets the environment):
-- BENCH_METHOD and BENCH_BODY are the request (a form-encoded POST for a form). With BENCH_CHECK_STATUS set
-- (the short check pass after the timed ones), the answers whose status is not BENCH_EXPECT_STATUS (200, or
-- 302 for a form that redirects to its receipt) are counted and printed as "Unexpected status: N": wrk itself
-- counts only 4xx and 5xx, and a page that redirected to the login would otherwise look fast and faultless.
-- The timed passes do not check: to give a script the status, wrk copies every answer's body into Lua, which
-- cost a 530 KB Open311 list a third of its time (the load tool's work, on the same two cores), a bare view
-- nothing.

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

if os.getenv("BENCH_CHECK_STATUS") then
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
end
