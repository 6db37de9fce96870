-- contacts: leads with an enrollment created in the window [@since, @until), plus leads
-- created in it. PII columns (names, email, phone, ghl_contact_id) are returned as they
-- are: extract hashes or drops them before anything is written.
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
FROM education.contacts AS c
WHERE (c.created_at >= @since AND c.created_at < @until)
   OR EXISTS (
     SELECT 1
     FROM education.campaign_enrollments AS e
     WHERE e.contact_id = c.id
       AND e.created_at >= @since AND e.created_at < @until
   )
ORDER BY c.org_id, c.id;
