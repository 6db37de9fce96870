-- enrollments: rows created in the window [@since, @until), plus every enrollment that a
-- windowed activity or outcome refers to, so each extracted event has its parent (and
-- its contact's names are known to extract for masking text).
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
WHERE (e.created_at >= @since AND e.created_at < @until)
   OR EXISTS (
     SELECT 1 FROM education.campaign_activities AS a
     WHERE a.enrollment_id = e.id AND a.created_at >= @since AND a.created_at < @until
   )
   OR EXISTS (
     SELECT 1 FROM education.booking_appointments AS b
     WHERE b.enrollment_id = e.id AND b.created_at >= @since AND b.created_at < @until
   )
   OR EXISTS (
     SELECT 1 FROM education.lead_outcome_events AS o
     WHERE o.enrollment_id = e.id AND o.created_at >= @since AND o.created_at < @until
   )
ORDER BY e.org_id, e.id;
