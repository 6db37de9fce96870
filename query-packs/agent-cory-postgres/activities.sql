-- activities: what the agent did or planned, rows created in the window [@since, @until).
-- prompt_used and generated_message may hold PII: extract redacts them.
SELECT
  a.org_id,
  a.id AS activity_id,
  a.enrollment_id,
  a.campaign_id,
  a.step_id,
  a.variant_id,
  a.attempt_no,
  a.channel,
  a.status,
  a.outcome,
  a.scheduled_at,
  a.sent_at,
  a.delivered_at,
  a.completed_at,
  a.call_started_at,
  a.call_duration_sec,
  a.end_call_reason,
  a.prompt_used,
  a.generated_message,
  a.created_at,
  a.updated_at
FROM education.campaign_activities AS a
WHERE a.created_at >= @since AND a.created_at < @until
ORDER BY a.id;
