// The demo's outcome model: base rates, the size of every planted effect, and the
// distributions of timing. The simulation reads these numbers and the ground-truth file
// reports them, so what is documented is what generated the data.

import { logit } from './rng.js';
import { DAY, HOUR, MINUTE } from './time.js';

/** A band of speed to lead (minutes from enrollment to first outbound touch) and its log-odds on call_booked. */
export interface SpeedBand {
  readonly name: string;
  readonly fromMinutes: number;
  /** Exclusive upper bound; Infinity for the last band. */
  readonly toMinutes: number;
  /** Share of enrollments whose first touch falls in the band. */
  readonly share: number;
  readonly logOdds: number;
}

/** The numbers behind the demo data. */
export const MODEL = {
  /** Intercept of P(call booked at any time during the enrollment), before effects and lead noise. */
  bookedIntercept: logit(0.19),
  /** Standard deviation of the per-enrollment latent log-odds (unobserved lead quality) on call_booked. */
  leadNoiseSd: 0.8,
  /** Intercept of P(qualified | booked). */
  qualifiedIntercept: logit(0.52),
  /** Intercept of P(converted | qualified). */
  convertedIntercept: logit(0.36),

  /** (a) The concrete-slots first-touch variant: odds ratio on call_booked. */
  slotOddsRatio: 1.8,
  /** (b) Speed-to-lead bands. */
  speedBands: [
    { name: 'under_5_min', fromMinutes: 0, toMinutes: 5, share: 0.5, logOdds: 0 },
    { name: '5_to_60_min', fromMinutes: 5, toMinutes: 60, share: 0.25, logOdds: -0.25 },
    { name: '1_to_24_h', fromMinutes: 60, toMinutes: 1440, share: 0.15, logOdds: -0.6 },
    { name: 'over_24_h', fromMinutes: 1440, toMinutes: Number.POSITIVE_INFINITY, share: 0.1, logOdds: -1.0 },
  ] as readonly SpeedBand[],
  /** Longest first-touch delay drawn in the last band. */
  speedMaxMinutes: 72 * 60,
  /** (c) Voicemail-only enrollments: log-odds on converted | qualified. */
  voicemailOnlyLogOdds: -1.2,
  /** Share of leads who never pick up the phone and never reply (every voice attempt is a voicemail). */
  unreachableShare: 0.22,
  /** (d) The call-first order of the sibling campaigns: log-odds on call_booked. */
  callFirstLogOdds: -0.45,
  /** (e) The better lead source and its log-odds on converted | qualified. */
  betterLeadSource: 'referral',
  betterLeadSourceLogOdds: 1.0,
  /** (f) The long wait before the slow-cadence campaign's call step: log-odds on call_booked. */
  longWaitLogOdds: -0.5,
  shortWaitMs: 1 * DAY,
  longWaitMs: 5 * DAY,
  longWaitThresholdMs: 3 * DAY,

  /** Time from first touch to booking: log-normal median and sigma (about 15% fall after 7 days). */
  bookingDelayMedianMs: 2.5 * DAY,
  bookingDelaySigma: 1.0,
  bookingDelayMinMs: 20 * MINUTE,
  bookingDelayMaxMs: 45 * DAY,
  /** Qualification is recorded after the booked call: uniform in [call + 30 min, call + 2 days]. */
  qualifyLagMaxMs: 2 * DAY,
  /** Time from qualification to conversion: log-normal median and sigma. */
  convertDelayMedianMs: 9 * DAY,
  convertDelaySigma: 0.8,
  /** Among booked leads that don't qualify: share that don't show, cancel, or are disqualified on the call. */
  notQualifiedSplit: { noShow: 0.4, cancelled: 0.1, disqualified: 0.5 },

  /** Reply behaviour. */
  replyIfBooked: 0.75,
  replyIfNotBookedBase: 0.1,
  replyIfNotBookedHighNoise: 0.08,
  /** P(connected) of a voice attempt for reachable leads, booked or not. */
  connectIfBooked: 0.5,
  connectIfNotBooked: 0.25,
  noAnswerShare: 0.3,

  /** Enrollment dynamics. */
  pauseShare: 0.02,
  switchShareOfUnbookedCompleted: 0.2,
  smsFailShare: 0.02,
  smsNoReceiptShare: 0.03,
  emailBounceContactShare: 0.04,
  emailNoReceiptShare: 0.05,
  voiceRetryShare: 0.6,
  voiceRetryGapMs: 3 * HOUR,
} as const;

/** The log-odds of speed to lead `minutes` and the index of its band. */
export function speedBandIndex(minutes: number): number {
  const bands = MODEL.speedBands;
  for (let i = 0; i < bands.length; i++) if (minutes < bands[i]!.toMinutes) return i;
  return bands.length - 1;
}

/** Days of the label windows, counted from the first outbound touch. */
export const LABEL_WINDOWS = { call_booked: 7, qualified: 14, converted: 30 } as const;
