-- outcomes: bookings (call_booked, at requested_at) and qualification/conversion events
-- (at occurred_at), rows created in the window [@since, @until). No ORDER BY: the rows
-- come in the order the window's index scan gives them (bookings, then events, each by
-- created_at and rowid), which is the same every time for the same database; sorting the
-- largest entity by its text key cost a full sort (~20% of this query's CPU) that no
-- stage needs, as outcome_id is unique and nothing reads outcomes in key order.
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
  NULL AS amount,
  NULL AS source
FROM education_booking_appointments AS b
WHERE b.created_at >= @since AND b.created_at < @until
UNION ALL
SELECT
  o.org_id,
  'event:' || o.id AS outcome_id,
  o.contact_id,
  o.enrollment_id,
  o.event_type AS outcome_type,
  NULL AS status,
  o.occurred_at,
  NULL AS scheduled_at,
  o.created_at AS recorded_at,
  o.amount,
  o.source
FROM education_lead_outcome_events AS o
WHERE o.created_at >= @since AND o.created_at < @until;
