-- wrk script: POST a GeoReport v2 request (form-encoded, as partners send them) to
-- /open311/v2/requests.json. `points` and `key` are prepended by bench/open311.sh.
local services = {"06010", "06036", "07001", "06001", "06017", "06012", "09006", "06042"}
local counter = 0

request = function()
  counter = counter + 1
  local p = points[(counter % #points) + 1]
  local body = string.format(
    "api_key=%s&service_code=%s&lat=%.6f&long=%.6f&description=%s%d" ..
    "&first_name=%%E8%%8A%%B3&last_name=%%E7%%8E%%8B&phone=13912345678",
    key, services[(counter % #services) + 1], p[2] + 0.00001 * (counter % 5),
    p[1] + 0.00001 * (counter % 7),
    "%E6%B5%B7%E6%BB%A8%E6%B5%B4%E5%9C%BA%E9%99%84%E8%BF%91%E5%8F%91%E7%8E%B0%E9%97%AE%E9%A2%98",
    counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
