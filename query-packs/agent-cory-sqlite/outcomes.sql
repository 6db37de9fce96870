-- outcomes: bookings (call_booked, at requested_at) and qualification/conversion events
-- (at occurred_at), rows created in the window [@since, @until). No ORDER BY: sorting the
-- largest entity by its text key cost a full sort (~20% of this query's CPU). The rows
-- come bookings first, then events, each in the order of the plan SQLite picks: after
-- ANALYZE a narrow window uses the created_at index (created_at order) and a wide one
-- scans the table (rowid order). That order is the same only for the same database file,
-- statistics and SQLite build: running ANALYZE or upgrading better-sqlite3 can change the
-- snapshot's bytes and sha256 for the same data. Nothing needs the order here because
-- outcome_id is unique ('booking:' / 'event:' prefixes on primary keys). A pack whose
-- keys can repeat must keep its ORDER BY: clean keeps the row updated last per key, and
-- when update times tie, the later row in the file.
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
