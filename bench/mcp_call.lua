-- wrk script: POST JSON-RPC messages to an MCP endpoint, round robin, and check every answer.
--
-- WRK_BODIES names a file with one JSON-RPC request per line, each with `"id":0` (replaced by
-- a number unique in this run; run one wrk thread, -t1); other headers (an Mcp-Session-Id
-- from one initialize, Mcp-Protocol-Version...) come from wrk's -H. An answer counts as a
-- failure unless it is HTTP 200 and carries a result that is not a tool error. done() prints
-- one JSON line (prefixed "WRK ") that bench/wrkload.py reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(os.getenv("WRK_BODIES")) do
    local head, tail = line:match('^(.-"id":)0(,.*)$')
    if head then bodies[#bodies + 1] = {head, tail} end
  end
  next_body = 0
  next_id = 0
  failures = 0
  first_failure = ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Accept"] = "application/json, text/event-stream"
end

-- Every request gets its own JSON-RPC id: requests in flight on one session must not share one.
function request()
  next_body = next_body % #bodies + 1
  next_id = next_id + 1
  local body = bodies[next_body]
  return wrk.format(nil, nil, nil, body[1] .. next_id .. body[2])
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"result"', 1, true) or body:find('"isError":true', 1, true) then
    failures = failures + 1
    if first_failure == "" then first_failure = status .. " " .. body:sub(1, 200) end
  end
end

function done(summary, latency, requests)
  local failed, first = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if first == "" then first = thread:get("first_failure") end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"seconds":%.6f,"failed":%d,"socket_errors":%d,"status_errors":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"first_failure":%q}\n',
    summary.requests, summary.duration / 1e6, failed,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, first))
end
