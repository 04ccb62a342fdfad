-- wrk script: posts real-looking comments, each with its own
-- Idempotency-Key, to the URL path given on the command line. For the nudge
-- endpoint set NUDGE=1 in the environment: the body then is {"text","post"}.
local texts = {
  "Thank you for writing this. I read it twice.",
  "I lost my dad last spring and this is exactly how it felt.",
  "Sending love to you and your family.",
  "This is the kindest thing I have read all week.",
  "Honestly this made me cry on the bus, in a good way.",
  "You were so brave to share this.",
  "We planted a tree for our daughter too. It helps, a little.",
  "Damn, that is a hell of a thing to go through. Sorry.",
  "No words. Just holding you in my thoughts.",
  "My sister went through the same thing. You are not alone.",
  "What an attention seeker, posting this for likes.",
  "Typical. Make everything about yourself.",
  "You only have yourself to blame for this.",
  "Maybe if you had looked after him better he would still be here.",
  "Nobody cares about your sob story.",
  "Another one milking a tragedy for clicks.",
  "People like you should just stay off the internet.",
  "What an idiot. Seriously.",
  "You are a moron and everyone knows it.",
  "Get over it already, it has been months.",
  "Where was this photo taken?",
  "The link at the bottom does not work for me.",
  "Is there a way to donate to the charity mentioned?",
  "What time does the memorial start on Saturday?",
  "I think the second paragraph has a typo.",
  "Can you share the name of the counsellor you mentioned?",
  "This was published last year as well, right?",
  "Subscribed. Looking forward to the next part.",
  "Which hospital was this at?",
  "Reading this from Lisbon, sending good thoughts.",
  "Some nights I think about how to end it all.",
  "I do not see the point of anything anymore and want to kill myself.",
  "I have been hurting myself again and nobody knows.",
  "People calling her an attention seeker should be ashamed of themselves.",
  "You are not an attention seeker, you are a parent who is grieving.",
  "Anyone mocking this family needs to take a long look in the mirror.",
  "Ignore the trolls, this post matters.",
  "I am so tired of seeing cruel comments under posts like this.",
  "It is not your fault. It was never your fault.",
  "Shame on whoever said she brought this on herself.",
  "Ugh, this whole comment section is a mess.",
  "Fair point about the funding, the council dropped the ball.",
  "The article would be better with sources.",
  "I disagree with the conclusion but respect the honesty.",
  "Not sure this belongs on a news site, but ok.",
  "Bloody brilliant piece of writing, thank you.",
  "My gran used to say grief is love with nowhere to go.",
  "Hugs from all of us at the Tuesday group.",
  "This is fake, nobody behaves like that.",
  "Stop whining and get a job.",
  "I hope you find some peace this winter.",
  "How can I support a friend going through this?",
  "I read the whole thread and I am speechless at the cruelty.",
  "A beautiful tribute. He would be proud.",
  "Why is this even news?",
}

local post = os.getenv("POST") or "bench"
local nudge = os.getenv("NUDGE") == "1"
local counter = 0
local prefix = ""

-- Give each wrk thread its own key prefix so that keys never repeat.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  prefix = string.format("%d-%d-", id or 0, os.time())
end

local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

function request()
  counter = counter + 1
  local text = texts[(counter % #texts) + 1]
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. (os.getenv("KEY") or ""),
  }
  local body
  if nudge then
    body = '{"text":' .. quote(text) .. ',"post":' .. quote(post) .. '}'
  else
    headers["Idempotency-Key"] = prefix .. counter
    body = '{"text":' .. quote(text) .. ',"author":"reader ' .. (counter % 97) .. '"}'
  end
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms  p90: %.2f ms  p99: %.2f ms  max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
