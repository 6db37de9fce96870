// Content of what was sent and received before the cutoff: the first outbound text, all
// outbound texts and prompts, and the replies (lexicon intent and sentiment, text.ts).

import type { FeatureContext } from './context.js';
import { FamilyColumns } from './context.js';
import { FLAG_CTA, INTENT_NONE, KIND_ACTIVITY, KIND_IN_MESSAGE, KIND_OUT_MESSAGE } from './load.js';
import { INTENTS } from './text.js';

const POSITIVE = new Set([INTENTS.indexOf('positive'), INTENTS.indexOf('scheduling')]);
const NEGATIVE = new Set(
  ['opt_out', 'wrong_person', 'not_now', 'objection'].map((i) => INTENTS.indexOf(i as never)),
);
const SCHEDULING = INTENTS.indexOf('scheduling');

export function contentFeatures(ctx: FeatureContext): FamilyColumns {
  const f = new FamilyColumns('content', ctx.nRows);
  const ev = ctx.data.events;
  const firstWhat =
    'of the first outbound SMS or email text before the cutoff (activity generated_message, else the logged outbound body); missing when none';
  const fLen = f.num('con_first_msg_length', `Characters ${firstWhat}.`, Number.NaN);
  const fQ = f.num('con_first_msg_questions', `Question marks ${firstWhat}.`, Number.NaN);
  const fPers = f.num(
    'con_first_msg_personalization',
    `Personalization tokens ([first_name], {first_name}, …) ${firstWhat}.`,
    Number.NaN,
  );
  const fLinks = f.num('con_first_msg_links', `Links (http://, https://, www.) ${firstWhat}.`, Number.NaN);
  const fCta = f.num(
    'con_first_msg_cta',
    `1 when a call-to-action phrase (book, schedule, which one works, …) is in the text ${firstWhat}.`,
    Number.NaN,
  );
  const fOffers = f.num(
    'con_first_msg_time_offers',
    `Concrete clock times offered ("2:00 PM") ${firstWhat}.`,
    Number.NaN,
  );
  const outN = f.num('con_out_texts', 'Outbound SMS/email activity texts before the cutoff.');
  const outLen = f.num(
    'con_out_mean_length',
    'Mean characters of those texts; missing when none.',
    Number.NaN,
  );
  const outSlots = f.num(
    'con_out_two_slot_offers',
    'Outbound texts before the cutoff offering at least two concrete clock times.',
  );
  const pLen = f.num(
    'con_prompt_mean_length',
    'Mean characters of prompt_used of activities before the cutoff; missing when none.',
    Number.NaN,
  );
  const pOffers = f.num(
    'con_prompt_time_offers_max',
    'Most concrete clock times in one prompt_used before the cutoff; missing when no prompt.',
    Number.NaN,
  );
  const rLen = f.num(
    'con_reply_mean_length',
    'Mean characters of inbound messages before the cutoff; missing when none.',
    Number.NaN,
  );
  const rQ = f.num('con_reply_questions', 'Question marks in inbound messages before the cutoff.');
  const rPos = f.num(
    'con_reply_positive',
    'Inbound messages before the cutoff with intent positive or scheduling (lexicon).',
  );
  const rSched = f.num(
    'con_reply_scheduling',
    'Inbound messages before the cutoff with intent scheduling (asks for or picks a time).',
  );
  const rNeg = f.num(
    'con_reply_negative',
    'Inbound messages before the cutoff with intent opt_out, wrong_person, not_now or objection.',
  );
  const rSent = f.num(
    'con_reply_sentiment',
    'Sum of the lexicon sentiment (−3…3 each) of inbound messages before the cutoff.',
  );
  const lastIntent = new Int32Array(ctx.nRows).fill(-1);
  for (let r = 0; r < ctx.nRows; r++) {
    let first = -1;
    let firstLogged = -1;
    let nOut = 0;
    let sumOut = 0;
    let nP = 0;
    let sumP = 0;
    let nR = 0;
    let sumR = 0;
    for (let k = ctx.start[r]!; k < ctx.start[r + 1]!; k++) {
      const i = ctx.events[k]!;
      const kind = ev.kind[i]!;
      const len = ev.textLen[i]!;
      if (kind === KIND_ACTIVITY) {
        if (!Number.isNaN(len)) {
          if (first < 0) first = i;
          nOut++;
          sumOut += len;
          if (ev.timeOffers[i]! >= 2) outSlots[r]!++;
        }
        const pl = ev.promptLen[i]!;
        if (!Number.isNaN(pl)) {
          nP++;
          sumP += pl;
          if (!(pOffers[r]! >= ev.promptOffers[i]!)) pOffers[r] = ev.promptOffers[i]!;
        }
      } else if (kind === KIND_OUT_MESSAGE) {
        if (firstLogged < 0 && !Number.isNaN(len) && ev.channel[i]! < 2) firstLogged = i;
      } else if (kind === KIND_IN_MESSAGE) {
        if (!Number.isNaN(len)) {
          nR++;
          sumR += len;
        }
        rQ[r]! += ev.questions[i]!;
        const it = ev.intent[i]!;
        if (it !== INTENT_NONE) {
          if (POSITIVE.has(it)) rPos[r]!++;
          if (it === SCHEDULING) rSched[r]!++;
          if (NEGATIVE.has(it)) rNeg[r]!++;
          lastIntent[r] = it;
        }
        rSent[r]! += ev.sentiment[i]!;
      }
    }
    const pick = first >= 0 ? first : firstLogged;
    if (pick >= 0) {
      fLen[r] = ev.textLen[pick]!;
      fQ[r] = ev.questions[pick]!;
      fPers[r] = ev.personalization[pick]!;
      fLinks[r] = ev.links[pick]!;
      fCta[r] = ev.flags[pick]! & FLAG_CTA ? 1 : 0;
      fOffers[r] = ev.timeOffers[pick]!;
    }
    outN[r] = nOut;
    if (nOut > 0) outLen[r] = sumOut / nOut;
    if (nP > 0) pLen[r] = sumP / nP;
    if (nR > 0) rLen[r] = sumR / nR;
  }
  f.categorical(
    'con_last_reply_intent',
    'Lexicon intent of the last inbound message before the cutoff (opt_out, wrong_person, not_now, objection, scheduling, positive, question, other); missing when none.',
    lastIntent,
    INTENTS,
  );
  return f;
}
