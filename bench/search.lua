-- wrk script for bench/serve_load.sh: rotates realistic /api/search
-- requests (words, facet filters, population ranges, sort orders), each
-- wrk thread starting at a different place in the list.
local queries = {
  "q=書かない窓口",
  "q=書かない窓口&band=10k-50k",
  "q=窓口&population=1万..5万",
  "q=RPA&sort=initial-cost",
  "q=AI&band=50k-100k&band=100k-300k",
  "q=オンライン申請&category=内部DX",
  "q=テレワーク&prefecture=北海道",
  "q=キャッシュレス決済&near-population=20000",
  "q=電子契約&initial-cost=..5000",
  "q=ペーパーレス&lead-time=..12",
  "q=人材育成&category=人材確保・育成",
  "q=\"業務改革\"&limit=20",
  "band=under-10k",
  "category=体制整備&section=①推進体制",
  "population=30万..&sort=population",
  "q=窓口改革&region=九州・沖縄",
  "q=マイナンバーカード",
  "q=クラウド&vendor=株式会社NTTデータ",
  "q=しょかないまどぐち",
  "q=デジタル人材&band=prefecture",
}

local function encode(s)
  return (s:gsub("[^%w%-%._~=&]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local paths = {}
for i, q in ipairs(queries) do
  paths[i] = "/api/search?" .. encode(q)
end

local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("start", thread_id * 7)
  thread_id = thread_id + 1
end

function init(args)
  counter = start or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

-- Count answers other than 200 by status, to print them at the end.
local statuses = {}
function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, non-2xx/3xx: %d, socket errors: connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
