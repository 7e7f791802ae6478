-- Argo CD health of an nfvlab.io NetworkNodeState (internal: one node's share of a plan, written by the operator,
-- realized and reported by that node's agent): Healthy when the agent applied the current generation, Degraded when
-- it reports items it could not realize, Progressing until it reports.
local hs = {}
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the agent on node " .. tostring(obj.spec.nodeName)
  return hs
end
if obj.status.errors ~= nil and #obj.status.errors > 0 then
  hs.status = "Degraded"
  hs.message = tostring(#obj.status.errors) .. " item(s) failed, first: " .. obj.status.errors[1].item .. ": " .. obj.status.errors[1].message
  return hs
end
local synced = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Synced" then
    synced = c
  end
end
if synced ~= nil and synced.status == "True" and obj.status.observedGeneration == obj.metadata.generation then
  hs.status = "Healthy"
  hs.message = synced.message
  return hs
end
hs.status = "Progressing"
hs.message = "Waiting for the agent on node " .. tostring(obj.spec.nodeName) .. " to apply generation " .. tostring(obj.metadata.generation)
return hs
