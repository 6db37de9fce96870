-- step_variants: all A/B variants (not windowed), each with its prompt template's text.
SELECT
  v.org_id,
  v.id AS variant_id,
  v.step_id,
  v.variant_key,
  v.is_control,
  v.allocation_weight,
  v.prompt_template_id,
  p.template_text AS prompt_text,
  v.created_at
FROM education.campaign_step_variants AS v
LEFT JOIN education.prompt_templates AS p ON p.id = v.prompt_template_id
ORDER BY v.org_id, v.id;
