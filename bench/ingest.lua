-- wrk script: POST signed WooCommerce order.updated deliveries from a pre-signed file (bench/ingest_orders.py).
-- BENCH_ORDERS: the file ("signature<TAB>body" per line). Each thread sends its own slice (line n goes to thread
-- n mod threads), in file order, so the file's duplicates are the only ones; a thread that runs out starts its slice
-- again (those requests are duplicates too: ingest.sh reports how many).
local dir = os.getenv("BENCH_LUA_DIR") or "."
local report = dofile(dir .. "/report.lua")
local file = assert(os.getenv("BENCH_ORDERS"), "BENCH_ORDERS is not set")

local threads = {}
local counter = 0
function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local requests, n, delivery = {}, 0, 0
function init(args)
  local count = tonumber(os.getenv("BENCH_THREADS") or "2")
  local i = 0
  for line in io.lines(file) do
    if i % count == index then
      local sig, body = line:match("^([^\t]+)\t(.*)$")
      table.insert(requests, { sig = sig, body = body })
    end
    i = i + 1
  end
end

-- wrk.format does not merge a headers table with wrk.headers: every header is set here.
local headers = {
  ["Content-Type"] = "application/json",
  ["X-WC-Webhook-Source"] = "https://shop.example.com/",
  ["X-WC-Webhook-Topic"] = "order.updated",
  ["X-WC-Webhook-Resource"] = "order",
  ["X-WC-Webhook-Event"] = "updated",
  ["X-WC-Webhook-ID"] = "1",
}

function request()
  n = n + 1
  local r = requests[(n - 1) % #requests + 1]
  delivery = delivery + 1
  headers["X-WC-Webhook-Signature"] = r.sig
  headers["X-WC-Webhook-Delivery-ID"] = index .. "-" .. delivery
  return wrk.format("POST", nil, headers, r.body)
end

done = report.done
