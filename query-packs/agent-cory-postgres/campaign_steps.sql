-- campaign_steps: all steps (not windowed), with org_id from the campaign and the text
-- of the step's default prompt template. LEFT JOINs keep steps whose campaign or
-- template is missing, so check can report them.
SELECT
  k.org_id,
  s.id AS step_id,
  s.campaign_id,
  s.order_id,
  s.channel,
  s.wait_before_ms,
  s.label,
  s.metadata,
  s.goal_prompt,
  s.prompt_template_id,
  p.template_text AS prompt_text,
  s.is_decision_point,
  s.branch_condition,
  s.next_step_id_if_true,
  s.next_step_id_if_false
FROM education.campaign_steps AS s
LEFT JOIN education.campaigns AS k ON k.id = s.campaign_id
LEFT JOIN education.prompt_templates AS p ON p.id = s.prompt_template_id
ORDER BY k.org_id, s.id;
