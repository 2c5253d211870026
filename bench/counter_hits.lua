-- wrk script for bench/counter_load.py: every request is a new visitor (X-Forwarded-For varies; the
-- endpoint trusts 127.0.0.1 as its proxy) on one of the built site's pages, so every view is recorded.
-- Counts sent requests and acknowledged (200) views per thread. With a budget (second argument), each
-- thread sends that many hits, then only GET health (which counts nothing): stored must equal acknowledged.
-- With a static path (third argument), the same requests (headers, varying addresses) are GETs of that
-- file instead, every 200 counted: what nginx serves to the same client, for the bench's ratio.
local threads = {}
local paths = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do table.insert(paths, line) end
  sent, acked, n = 0, 0, 0
  budget = tonumber(args[2] or "0")
  static = args[3]
end

function request()
  if budget > 0 and n >= budget then
    return wrk.format("GET", "/api/health")
  end
  n = n + 1
  sent = sent + 1
  local ip = string.format("10.%d.%d.%d", id, math.floor(n / 256) % 256, n % 256)
  local ip6 = string.format("2001:db8:%x:%x::1", id, n)           -- beyond 65,536 per thread: IPv6 /64s
  local path = paths[(n % #paths) + 1]
  if static then
    return wrk.format("GET", static, {
      ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
      ["X-Forwarded-For"] = n < 65536 and ip or ip6,
    })
  end
  return wrk.format("POST", "/api/hit", {
    ["Content-Type"] = "text/plain;charset=UTF-8",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    ["X-Forwarded-For"] = n < 65536 and ip or ip6,
  }, '{"path":"' .. path .. '"}')
end

function response(status, headers, body)
  if status == 200 and (static or string.find(body, '"counted":true', 1, true)) then acked = acked + 1 end
end

function done(summary, latency, requests)
  local s, a = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("sent"); a = a + t:get("acked") end
  io.write(string.format("RESULT sent=%d acked=%d completed=%d status_errors=%d socket_errors=%d " ..
    "p50_us=%d p99_us=%d max_us=%d duration_us=%d\n", s, a, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, summary.duration))
end
