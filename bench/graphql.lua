-- wrk script: POST /graphql with the balance query of one member (run.sh passes the URL and the environment).
-- BENCH_TOKEN: admin bearer token; BENCH_MEMBER_GID: the member's global id.
-- BENCH_GRAPHQL_QUERY (optional, for experiments): another document; $id is passed only if the document declares it.
local dir = os.getenv("BENCH_LUA_DIR") or "."
local report = dofile(dir .. "/report.lua")
local token = assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN is not set")
local gid = assert(os.getenv("BENCH_MEMBER_GID"), "BENCH_MEMBER_GID is not set")
local query = os.getenv("BENCH_GRAPHQL_QUERY")
  or "query($id: ID!) { member(by: { id: $id }) { balance { approved pending total } } }"

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/graphql-response+json, application/json;q=0.9"
wrk.body = '{"query":"' .. query:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
  .. (query:find("$id", 1, true) and (',"variables":{"id":"' .. gid .. '"}') or "") .. '}'

done = report.done
