-- wrk script: GET /raw/members/{guid}/balance (run.sh passes the URL and the environment).
-- BENCH_TOKEN: admin bearer token, the same one graphql.lua sends.
local dir = os.getenv("BENCH_LUA_DIR") or "."
local report = dofile(dir .. "/report.lua")
local token = assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set")

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

done = report.done
