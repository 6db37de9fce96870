// Interaction patterns before the cutoff: attempts per channel, calls connected vs
// voicemail, replies, reply latency, channels, opt-outs, failed deliveries, steps reached.

import type { FeatureContext } from './context.js';
import { FamilyColumns } from './context.js';
import {
  INTENT_NONE,
  KIND_ACTIVITY,
  KIND_IN_MESSAGE,
  KIND_OUT_MESSAGE,
  OUTCOME_CONNECTED,
  OUTCOME_FAILED,
  OUTCOME_NO_ANSWER,
  OUTCOME_VOICEMAIL,
} from './load.js';
import { INTENTS } from './text.js';

const OPT_OUT = INTENTS.indexOf('opt_out');

export function interactionFeatures(ctx: FeatureContext): FamilyColumns {
  const f = new FamilyColumns('interaction', ctx.nRows);
  const ev = ctx.data.events;
  const sms = f.num('int_attempts_sms', 'Outbound SMS activities that ran (sent_at set) before the cutoff.');
  const email = f.num('int_attempts_email', 'Outbound email activities that ran before the cutoff.');
  const voice = f.num('int_attempts_voice', 'Calls placed (call_started_at set) before the cutoff.');
  const total = f.num('int_attempts_total', 'All outbound activities that ran before the cutoff.');
  const connected = f.num('int_calls_connected', "Calls with outcome 'connected' before the cutoff.");
  const voicemail = f.num('int_voicemail_drops', "Calls with outcome 'voicemail' before the cutoff.");
  const noAnswer = f.num('int_calls_no_answer', "Calls with outcome 'no_answer' before the cutoff.");
  const talk = f.num(
    'int_connected_seconds',
    'Total call_duration_sec of connected calls before the cutoff (missing durations count 0).',
  );
  const vmOnly = f.num(
    'int_voicemail_only',
    '1 when at least one call ran, every call ended in voicemail and no inbound message came, all before the cutoff.',
  );
  const replies = f.num('int_inbound_replies', 'Inbound messages from the contact before the cutoff.');
  const latency = f.num(
    'int_reply_latency_min',
    'Minutes from the first outbound touch to the first inbound message after it; missing when none before the cutoff.',
    Number.NaN,
  );
  const channels = f.num(
    'int_channels_used',
    'Distinct channels of outbound activities before the cutoff (0–3).',
  );
  const optOut = f.num(
    'int_opt_out',
    '1 when an inbound message before the cutoff is an opt-out (STOP, unsubscribe, …; see the lexicon).',
  );
  const failed = f.num(
    'int_failed_deliveries',
    "Activities before the cutoff with status 'failed' or outcome failed/undelivered/bounced.",
  );
  const steps = f.num('int_steps_reached', 'Distinct campaign steps with an activity before the cutoff.');
  const maxOrder = f.num(
    'int_max_step_order',
    'Highest order_id of the steps with an activity before the cutoff; missing when no step is known.',
    Number.NaN,
  );
  const logged = f.num(
    'int_outbound_logged',
    'Outbound messages in the communication log before the cutoff.',
  );

  const seenSteps = new Set<number>();
  for (let r = 0; r < ctx.nRows; r++) {
    seenSteps.clear();
    let chMask = 0;
    let calls = 0;
    let vm = 0;
    let inbound = 0;
    for (let k = ctx.start[r]!; k < ctx.start[r + 1]!; k++) {
      const i = ctx.events[k]!;
      const kind = ev.kind[i]!;
      if (kind === KIND_ACTIVITY) {
        total[r]!++;
        const ch = ev.channel[i]!;
        if (ch === 0) sms[r]!++;
        else if (ch === 1) email[r]!++;
        else if (ch === 2) {
          voice[r]!++;
          calls++;
        }
        if (ch < 3) chMask |= 1 << ch;
        const o = ev.outcome[i]!;
        if (o === OUTCOME_CONNECTED) {
          connected[r]!++;
          const d = ev.duration[i]!;
          if (d > 0) talk[r]! += d;
        } else if (o === OUTCOME_VOICEMAIL) {
          voicemail[r]!++;
          if (ch === 2) vm++;
        } else if (o === OUTCOME_NO_ANSWER) noAnswer[r]!++;
        else if (o === OUTCOME_FAILED) failed[r]!++;
        const s = ev.step[i]!;
        if (s >= 0 && !seenSteps.has(s)) {
          seenSteps.add(s);
          const ord = ctx.data.stepOrder[s];
          if (ord !== undefined && !Number.isNaN(ord) && !(maxOrder[r]! >= ord)) maxOrder[r] = ord;
        }
      } else if (kind === KIND_OUT_MESSAGE) logged[r]!++;
      else if (kind === KIND_IN_MESSAGE) {
        inbound++;
        if (Number.isNaN(latency[r]!) && ev.t[i]! >= ctx.decision[r]!) {
          latency[r] = (ev.t[i]! - ctx.decision[r]!) / 60_000;
        }
        if (ev.intent[i] !== INTENT_NONE && ev.intent[i] === OPT_OUT) optOut[r] = 1;
      }
    }
    replies[r] = inbound;
    channels[r] = (chMask & 1) + ((chMask >> 1) & 1) + ((chMask >> 2) & 1);
    steps[r] = seenSteps.size;
    vmOnly[r] = calls > 0 && vm === calls && inbound === 0 ? 1 : 0;
  }
  return f;
}
