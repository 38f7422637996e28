-- wrk script: cycles through the request paths listed in $WRK_PATHS (one a
-- line), each thread from a different offset, keep-alive.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local i = 0

function setup(thread)
  thread:set("offset", math.random(#paths))
end

function init(args)
  i = offset or 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
