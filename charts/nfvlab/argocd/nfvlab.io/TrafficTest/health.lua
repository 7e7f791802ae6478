-- Argo CD health of an nfvlab.io TrafficTest: Healthy once a run passed (with its Mininet-style summary), Degraded
-- for a failed or timed-out run or an invalid spec (kstatus' Stalled), Progressing while pending or running.
local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the nfvlab operator"
  return hs
end
if obj.status.observedGeneration ~= obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the nfvlab operator to observe generation " .. tostring(obj.metadata.generation)
  return hs
end
local conditions = {}
for _, c in ipairs(obj.status.conditions) do
  conditions[c.type] = c
end
local stalled = conditions["Stalled"]
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.reason .. ": " .. (stalled.message or "")
  return hs
end
local ready = conditions["Ready"]
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = obj.status.summary or ready.message
  return hs
end
hs.status = "Progressing"
hs.message = (obj.status.phase or "Pending") .. ": " .. (obj.status.message or "")
return hs
