-- messages: the communication log, rows created in the window [@since, @until), joined
-- to contacts on ghl_contact_id for org_id and contact_id. INNER JOIN: log rows whose
-- ghl_contact_id matches no contact are not extracted. sender and recipient are PII
-- (dropped by extract); subject and body are redacted.
SELECT
  c.org_id,
  c.id AS contact_id,
  m.message_id,
  m.thread_id,
  m.channel,
  m.direction,
  m.sender,
  m.recipient,
  m.subject,
  m.body,
  m."timestamp" AS message_ts,
  m.created_at,
  m.conversation_tags
FROM dbo_Education_Cory_Communication_Log AS m
INNER JOIN education_contacts AS c ON c.ghl_contact_id = m.ghl_contact_id
WHERE m.created_at >= @since AND m.created_at < @until
ORDER BY m.rowid;
