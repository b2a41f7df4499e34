-- wrk script: POST a realistic report to /api/v1/cases, varying point, category and text.
-- `points` is prepended by bench/intake.sh.
local categories = {"06015", "06010", "06036", "07001", "06001", "01001", "03001", "06017"}
local counter = 0

request = function()
  counter = counter + 1
  local p = points[(counter % #points) + 1]
  local body = string.format(
    '{"category":"%s","description":"海滨浴场附近发现问题，编号%d，请尽快处理",' ..
    '"location":{"lon":%.6f,"lat":%.6f,"datum":"wgs84"},"channel":"hotline",' ..
    '"urgency":"normal","reporter":{"name":"王芳","phone":"13912345678"}}',
    categories[(counter % #categories) + 1], counter, p[1] + 0.00001 * (counter % 7),
    p[2] + 0.00001 * (counter % 5))
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
