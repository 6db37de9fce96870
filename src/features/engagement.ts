// The engagement score: a small integer composite of interaction and content features,
// readable by a sales manager ("replied positively and picked up the phone").

import type { FeatureContext } from './context.js';
import { FamilyColumns } from './context.js';

/** Points of the engagement score; the sum of the terms that apply. */
export const ENGAGEMENT_POINTS = {
  positiveReply: 3,
  connectedCall: 2,
  longCall: 1,
  anyReply: 1,
  optOut: -3,
  negativeReply: -2,
  voicemailOnly: -1,
} as const;

/** Needs the columns of the interaction and content families, by name. */
export function engagementFeatures(
  ctx: FeatureContext,
  cols: ReadonlyMap<string, Float64Array>,
): FamilyColumns {
  const f = new FamilyColumns('engagement', ctx.nRows);
  const P = ENGAGEMENT_POINTS;
  const score = f.num(
    'eng_score',
    `Sum of points before the cutoff: +${P.positiveReply} a positive or scheduling reply, +${P.connectedCall} a connected call, +${P.longCall} connected calls totalling ≥ 120 s, +${P.anyReply} any reply, ${P.optOut} an opt-out, ${P.negativeReply} a negative reply (opt-out, wrong person, not now, objection), ${P.voicemailOnly} voicemail only. Range −6 to 7.`,
  );
  const get = (n: string) => {
    const c = cols.get(n);
    if (!c) throw new Error(`engagementFeatures: column ${n} is missing`);
    return c;
  };
  const pos = get('con_reply_positive');
  const neg = get('con_reply_negative');
  const connected = get('int_calls_connected');
  const talk = get('int_connected_seconds');
  const replies = get('int_inbound_replies');
  const optOut = get('int_opt_out');
  const vmOnly = get('int_voicemail_only');
  for (let r = 0; r < ctx.nRows; r++) {
    let s = 0;
    if (pos[r]! > 0) s += P.positiveReply;
    if (connected[r]! > 0) s += P.connectedCall;
    if (talk[r]! >= 120) s += P.longCall;
    if (replies[r]! > 0) s += P.anyReply;
    if (optOut[r]! > 0) s += P.optOut;
    if (neg[r]! > 0) s += P.negativeReply;
    if (vmOnly[r]! > 0) s += P.voicemailOnly;
    score[r] = s;
  }
  return f;
}
