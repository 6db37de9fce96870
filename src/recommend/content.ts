// Content profiles of the messages a variant or step sent and of the replies they drew,
// and the deterministic prompt edits that follow from contrasting a worse variant with a
// better one of the same step. Message measures reuse the label + features lexicon
// (outboundTextStats, reply intents); reading level is the Flesch–Kincaid grade.

import { outboundTextStats } from '../features/index.js';
import type { Interval } from './stats.js';

/** Mean measures of a set of outbound texts. */
export interface TextProfile {
  readonly messages: number;
  readonly meanLength: number;
  readonly meanQuestions: number;
  readonly meanTimeOffers: number;
  readonly meanPersonalization: number;
  readonly meanLinks: number;
  readonly ctaShare: number;
  readonly meanExclamations: number;
  /** Flesch–Kincaid grade level of the texts (mean). */
  readonly readingGrade: number;
}

/** Reply mix of the leads an element reached. */
export interface ReplyProfile {
  readonly reached: number;
  readonly positiveShare: number;
  readonly negativeShare: number;
  readonly objectionShare: number;
  readonly optOutShare: number;
}

function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return w.length > 0 ? 1 : 0;
  const groups = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').match(/[aeiouy]+/g);
  return Math.max(1, groups?.length ?? 1);
}

/** Flesch–Kincaid grade: 0.39·words/sentence + 11.8·syllables/word − 15.59 (NaN for no words). */
export function readingGrade(text: string): number {
  const words = text.match(/[A-Za-z']+/g) ?? [];
  if (words.length === 0) return Number.NaN;
  const sentences = Math.max(1, (text.match(/[.!?]+(?:\s|$)/g) ?? []).length);
  let syl = 0;
  for (const w of words) syl += syllables(w);
  return 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
}

/** The mean measures of `texts` (NaN means when empty). */
export function textProfile(texts: readonly string[]): TextProfile {
  const n = texts.length;
  let len = 0;
  let q = 0;
  let offers = 0;
  let pers = 0;
  let links = 0;
  let cta = 0;
  let excl = 0;
  let grade = 0;
  let graded = 0;
  for (const t of texts) {
    const s = outboundTextStats(t);
    len += s.length;
    q += s.questions;
    offers += s.timeOffers;
    pers += s.personalization;
    links += s.links;
    cta += s.cta ? 1 : 0;
    excl += (t.match(/!/g) ?? []).length;
    const g = readingGrade(t);
    if (!Number.isNaN(g)) {
      grade += g;
      graded++;
    }
  }
  const m = (x: number) => (n > 0 ? x / n : Number.NaN);
  return {
    messages: n,
    meanLength: m(len),
    meanQuestions: m(q),
    meanTimeOffers: m(offers),
    meanPersonalization: m(pers),
    meanLinks: m(links),
    ctaShare: m(cta),
    meanExclamations: m(excl),
    readingGrade: graded > 0 ? grade / graded : Number.NaN,
  };
}

/** One specific edit to a prompt, with the contrast behind it. */
export interface PromptEdit {
  readonly feature: string;
  readonly edit: string;
  readonly worse: number;
  readonly better: number;
}

/** Evidence every edit of one comparison shares. */
export interface EditEvidence {
  /** Adjusted difference in the booking rate, better − worse, with its interval. */
  readonly effect: Interval;
  readonly messagesWorse: number;
  readonly messagesBetter: number;
}

const r0 = (x: number) => Math.round(x);
const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Edits that move the worse variant's messages toward the better one's: concrete time
 * offers, length, questions, call to action, links, personalization, reading level,
 * exclamations; and what the replies say (objections, opt-outs). Deterministic; each edit
 * names the two values it contrasts. Empty when the messages do not differ materially.
 */
export function promptEdits(
  worse: TextProfile,
  better: TextProfile,
  worseReplies: ReplyProfile,
  betterReplies: ReplyProfile,
): PromptEdit[] {
  const edits: PromptEdit[] = [];
  if (worse.messages === 0 || better.messages === 0) return edits;
  if (better.meanTimeOffers >= 1.5 && worse.meanTimeOffers < 0.5) {
    edits.push({
      feature: 'time_offers',
      edit: `offer ${r0(better.meanTimeOffers)} concrete time slots (e.g. "Tue 2:00 PM or Wed 10:30 AM") and ask which one works, instead of an open question about timing`,
      worse: worse.meanTimeOffers,
      better: better.meanTimeOffers,
    });
  }
  if (worse.meanLength > better.meanLength * 1.25 && worse.meanLength - better.meanLength >= 30) {
    const target = Math.ceil(better.meanLength / 10) * 10;
    edits.push({
      feature: 'length',
      edit: `${r0(worse.meanLength)} characters → under ${target}`,
      worse: worse.meanLength,
      better: better.meanLength,
    });
  }
  if (Math.abs(worse.meanQuestions - better.meanQuestions) >= 0.4) {
    const q = Math.max(0, r0(better.meanQuestions));
    edits.push({
      feature: 'questions',
      edit:
        q === 0
          ? 'drop the questions; state the next step'
          : `ask ${q === 1 ? 'one question' : `${q} questions`} (now ${r1(worse.meanQuestions)} per message)`,
      worse: worse.meanQuestions,
      better: better.meanQuestions,
    });
  }
  if (better.ctaShare - worse.ctaShare >= 0.3) {
    edits.push({
      feature: 'call_to_action',
      edit: 'end with one clear call to action ("which one works for you?", "book here")',
      worse: worse.ctaShare,
      better: better.ctaShare,
    });
  }
  if (worse.meanLinks - better.meanLinks >= 0.5) {
    edits.push({ feature: 'links', edit: 'drop the link', worse: worse.meanLinks, better: better.meanLinks });
  }
  if (better.meanPersonalization - worse.meanPersonalization >= 0.5) {
    edits.push({
      feature: 'personalization',
      edit: 'address the lead by first name',
      worse: worse.meanPersonalization,
      better: better.meanPersonalization,
    });
  }
  if (worse.readingGrade - better.readingGrade >= 2) {
    edits.push({
      feature: 'reading_level',
      edit: `simplify: reading grade ${r1(worse.readingGrade)} → ${r1(better.readingGrade)}`,
      worse: worse.readingGrade,
      better: better.readingGrade,
    });
  }
  if (worse.meanExclamations - better.meanExclamations >= 0.5) {
    edits.push({
      feature: 'tone',
      edit: 'calmer tone: fewer exclamation marks',
      worse: worse.meanExclamations,
      better: better.meanExclamations,
    });
  }
  if (
    worseReplies.reached > 0 &&
    betterReplies.reached > 0 &&
    worseReplies.objectionShare - betterReplies.objectionShare >= 0.01
  ) {
    edits.push({
      feature: 'objections',
      edit: 'answer the price objection the replies raise (state the offer is free or what it costs)',
      worse: worseReplies.objectionShare,
      better: betterReplies.objectionShare,
    });
  }
  if (
    worseReplies.reached > 0 &&
    betterReplies.reached > 0 &&
    worseReplies.optOutShare - betterReplies.optOutShare >= 0.01
  ) {
    edits.push({
      feature: 'opt_outs',
      edit: 'soften the ask: this variant draws more opt-outs',
      worse: worseReplies.optOutShare,
      better: betterReplies.optOutShare,
    });
  }
  return edits;
}
