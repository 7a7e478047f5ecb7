-- wrk script: POST the follow-up form (bench/ops/follow_up_load.py writes the sessions file and starts wrk).
--
-- Usage: wrk ... -s bench/load/follow_up.lua http://127.0.0.1:PORT -- SESSIONS_FILE ORIGIN
-- Each line of SESSIONS_FILE is one signed-in Navigator: the form's path (their case), the Cookie
-- header (session and CSRF cookies), the CSRF form token and the URL-encoded form fields, separated
-- by tabs. Requests take the sessions in turn. An answer counts as a success only if it is the view's
-- success answer: 302 to the case page (a form with errors would be a 200, a lost session a 302 to
-- the sign-in page, a refused CSRF token a 403).

local threads = {}

function setup(thread)
   thread:set("first", #threads)
   table.insert(threads, thread)
end

function init(args)
   sessions = {}
   for line in io.lines(args[1]) do
      local path, cookie, token, fields = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
      table.insert(sessions, {path = path, cookie = cookie, token = token, fields = fields})
   end
   -- The address people use, as the browser sends it: with HTTPS (X-Forwarded-Proto, as from the
   -- proxy that ends TLS), Django's CSRF check compares it with the request's own origin.
   origin = args[2]
   -- Threads start at different sessions, so that they do not all post for the same case at once.
   turn = first or 0
   ok, wrong = 0, 0
end

function request()
   turn = turn % #sessions + 1
   local s = sessions[turn]
   return wrk.format("POST", s.path, {
      ["Cookie"] = s.cookie,
      ["X-CSRFToken"] = s.token,
      ["Origin"] = origin,
      ["X-Forwarded-Proto"] = "https",
      ["Content-Type"] = "application/x-www-form-urlencoded",
   }, "csrfmiddlewaretoken=" .. s.token .. "&" .. s.fields)
end

function response(status, headers, body)
   local location = headers["Location"] or headers["location"] or ""
   if status == 302 and location:match("^/cases/%d+/$") then
      ok = ok + 1
   else
      wrong = wrong + 1
   end
end

function done(summary, latency, requests)
   local total_ok, total_wrong = 0, 0
   for _, thread in ipairs(threads) do
      total_ok = total_ok + thread:get("ok")
      total_wrong = total_wrong + thread:get("wrong")
   end
   io.write(string.format("follow-up answers: %d success, %d other\n", total_ok, total_wrong))
end
