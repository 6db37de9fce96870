-- enrollments: rows created in the window [@since, @until).
SELECT
  e.org_id,
  e.id AS enrollment_id,
  e.contact_id,
  e.campaign_id,
  e.current_step_id,
  e.status,
  e.started_at,
  e.ended_at,
  e.created_at,
  e.updated_at
FROM education.campaign_enrollments AS e
WHERE e.created_at >= @since AND e.created_at < @until
ORDER BY e.org_id, e.id;
