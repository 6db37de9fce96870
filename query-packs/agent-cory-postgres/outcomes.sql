-- outcomes: bookings (call_booked, at requested_at) and qualification/conversion events
-- (at occurred_at), rows created in the window [@since, @until).
SELECT
  b.org_id,
  'booking:' || b.appointment_id AS outcome_id,
  b.contact_id,
  b.enrollment_id,
  'call_booked' AS outcome_type,
  b.status,
  b.requested_at AS occurred_at,
  b.scheduled_at,
  b.created_at AS recorded_at,
  CAST(NULL AS double precision) AS amount,
  CAST(NULL AS text) AS source
FROM education.booking_appointments AS b
WHERE b.created_at >= @since AND b.created_at < @until
UNION ALL
SELECT
  o.org_id,
  'event:' || o.id AS outcome_id,
  o.contact_id,
  o.enrollment_id,
  o.event_type AS outcome_type,
  CAST(NULL AS text) AS status,
  o.occurred_at,
  CAST(NULL AS timestamptz) AS scheduled_at,
  o.created_at AS recorded_at,
  o.amount,
  o.source
FROM education.lead_outcome_events AS o
WHERE o.created_at >= @since AND o.created_at < @until
ORDER BY org_id, outcome_id;
