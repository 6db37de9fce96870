-- contacts: leads created in the window [@since, @until), plus every lead that an
-- extracted enrollment, a windowed message or a windowed outcome refers to (the parent
-- closure of enrollments.sql, messages.sql and outcomes.sql). PII columns (names, email,
-- phone, ghl_contact_id) are returned as they are: extract hashes or drops them before
-- anything is written, and uses the names to mask them in message text.
SELECT
  c.org_id,
  c.id AS contact_id,
  c.ghl_contact_id,
  c.first_name,
  c.last_name,
  c.full_name,
  c.email,
  c.phone,
  c.lead_source,
  c.lead_source_detail,
  c.qualification_status,
  c.timezone,
  c.region,
  c.created_at,
  c.updated_at
FROM education_contacts AS c
WHERE (c.created_at >= @since AND c.created_at < @until)
   OR EXISTS (
     SELECT 1 FROM education_campaign_enrollments AS e
     WHERE e.contact_id = c.id
       AND (
         (e.created_at >= @since AND e.created_at < @until)
         OR EXISTS (
           SELECT 1 FROM education_campaign_activities AS a
           WHERE a.enrollment_id = e.id AND a.created_at >= @since AND a.created_at < @until
         )
       )
   )
   OR EXISTS (
     SELECT 1 FROM dbo_Education_Cory_Communication_Log AS m
     WHERE m.ghl_contact_id = c.ghl_contact_id AND m.created_at >= @since AND m.created_at < @until
   )
   OR EXISTS (
     SELECT 1 FROM education_booking_appointments AS b
     WHERE b.contact_id = c.id AND b.created_at >= @since AND b.created_at < @until
   )
   OR EXISTS (
     SELECT 1 FROM education_lead_outcome_events AS o
     WHERE o.contact_id = c.id AND o.created_at >= @since AND o.created_at < @until
   )
ORDER BY c.org_id, c.id;
