-- campaigns: all of them (a small dimension table; not windowed).
SELECT
  k.org_id,
  k.id AS campaign_id,
  k.name,
  k.description,
  k.campaign_type,
  k.goal_prompt,
  k.created_at
FROM education.campaigns AS k
ORDER BY k.org_id, k.id;
