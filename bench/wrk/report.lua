-- wrk script of `make bench` (bench/bench_web.py): cookies, POST bodies, and a JSON
-- summary that counts every unexpected status as an error (wrk itself counts only
-- 4xx/5xx, so a redirect to the sign-in page would pass unnoticed).
--
--   wrk -s bench/wrk/report.lua URL -- EXPECT COOKIE [METHOD BODYFILE|VOTEFILE]
--
-- EXPECT: accepted statuses ("200" or "302"); COOKIE: the Cookie header or "-";
-- METHOD: "get" (default), "post" (the body in BODYFILE, the same every time) or
-- "vote" (VOTEFILE holds one urlencoded body per line, each used once: the server
-- refuses a proof-of-work solution twice; each request also comes from its own
-- X-Forwarded-For address, as voters behind the production proxy do).

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local function read_lines(path)
   local lines = {}
   for line in io.lines(path) do
      if #line > 0 then table.insert(lines, line) end
   end
   return lines
end

function init(args)
   bad = 0
   statuses = ""
   expect = {}
   for code in string.gmatch(args[1] or "200", "%d+") do expect[tonumber(code)] = true end
   if args[2] and args[2] ~= "-" then wrk.headers["Cookie"] = args[2] end
   local method = args[3] or "get"
   if method == "post" then
      local f = assert(io.open(args[4], "r"))
      wrk.method = "POST"
      wrk.body = f:read("*a")
      f:close()
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   elseif method == "vote" then
      bodies = read_lines(args[4])
      cursor = id + 1
      step = tonumber(args[5] or "1")
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
      request = function()
         local body = bodies[cursor]
         if body == nil then body = bodies[1] end  -- out of solutions: a replay, an error
         cursor = cursor + step
         local headers = {}
         for k, v in pairs(wrk.headers) do headers[k] = v end
         headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", id, math.floor(cursor / 250) % 250, cursor % 250)
         return wrk.format("POST", wrk.path, headers, body)
      end
   end
end

function response(status, headers, body)
   if not expect[status] then
      bad = bad + 1
      if #statuses < 60 then statuses = statuses .. status .. " " end
   end
end

function done(summary, latency, requests)
   local unexpected, seen = 0, ""
   for _, t in ipairs(threads) do
      unexpected = unexpected + (t:get("bad") or 0)
      seen = seen .. (t:get("statuses") or "")
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "unexpected": %d, "statuses": "%s", ' ..
      '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status_errors": %d, ' ..
      '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
      summary.requests, summary.duration, unexpected, seen,
      e.connect, e.read, e.write, e.timeout, e.status,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
