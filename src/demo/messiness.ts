// How messy the demo data is: the rate of every kind of real-data mess the generator
// injects at write time. Mess never changes the simulated process (outcomes, timings,
// effects); it only corrupts or repeats the rows that record it, and each case is counted
// in the ground truth.

/** Placeholder values CRMs write instead of a missing categorical value. */
export const PLACEHOLDERS: readonly string[] = ['Select', 'N/A', 'null', '', 'unknown'];

/** Rates of injected mess (per row of the table named, unless said otherwise). */
export const MESS_RATES = {
  /** Activity rows re-inserted with a new id and a later updated_at. */
  duplicateActivity: 0.01,
  /** Activity rows written more than a day after the event (late sync). */
  lateActivity: 0.005,
  /** Activity rows whose clock is before the enrollment's creation. */
  activityBeforeEnrollment: 0.002,
  /** Activity rows a year in the future (a bad clock). */
  futureActivity: 0.0005,
  /** Communication-log rows logged twice with the same message_id. */
  duplicateMessage: 0.005,
  /** Communication-log rows a year in the future. */
  futureMessage: 0.0005,
  /** Communication-log timestamp forms: ISO with Z, local with offset, naive UTC (the rest). */
  timestampZ: 0.6,
  timestampOffset: 0.25,
  /** Outcome events recorded days after they happened. */
  lateOutcomeEvent: 0.12,
  /** Non-canonical channel text ('SMS', ' Email', 'Voice '). */
  messyActivityChannel: 0.03,
  messyMessageChannel: 0.02,
  /** Placeholder in end_call_reason of calls. */
  endCallReasonPlaceholder: 0.03,
  /** completed_at missing on completed activities. */
  missingCompletedAt: 0.005,
  /** Connected calls with a negative duration, and calls lasting more than a day. */
  negativeDuration: 0.003,
  overlongCall: 0.002,
  /** Contacts: missing values, placeholders and case/padding. */
  missingEmail: 0.02,
  missingPhone: 0.02,
  missingTimezone: 0.03,
  missingRegion: 0.02,
  placeholderRegion: 0.02,
  missingLeadSource: 0.015,
  placeholderLeadSource: 0.03,
  messyLeadSource: 0.02,
  placeholderQualificationStatus: 0.01,
  /** Bookings without the enrollment they are credited to. */
  missingBookingEnrollment: 0.05,
  /** One contact in this many is a test contact ('Test Test', test@test.com, 555-0100). */
  testContactEvery: 500,
} as const;

/** Non-canonical spellings of a channel. */
export function messyChannels(channel: 'sms' | 'email' | 'voice'): readonly string[] {
  if (channel === 'sms') return ['SMS', ' sms', 'Sms '];
  if (channel === 'email') return [' Email', 'EMAIL', 'email '];
  return ['Voice ', 'VOICE', ' voice'];
}

/** Non-canonical spellings of a lead source value ('REFERRAL', ' referral', 'Referral '). */
export function messyLeadSource(value: string, pick: number): string {
  switch (pick % 3) {
    case 0:
      return value.toUpperCase();
    case 1:
      return ` ${value}`;
    default:
      return `${value.charAt(0).toUpperCase()}${value.slice(1)} `;
  }
}
