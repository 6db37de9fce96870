// Lexicon-based text measures of messages, prompts and replies. A small documented word
// list instead of a sentiment library: replies to an SMS agent are short and formulaic,
// and a list keeps every score explainable and deterministic (docs/features.md).

/** Reply intents, in precedence order (the first that matches wins). */
export const INTENTS = [
  'opt_out',
  'wrong_person',
  'not_now',
  'objection',
  'scheduling',
  'positive',
  'question',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

/** Phrases of each intent (lower case, matched on word boundaries). */
export const INTENT_LEXICON: Readonly<Record<Exclude<Intent, 'other'>, readonly string[]>> = {
  opt_out: ['stop', 'unsubscribe', 'remove me', 'opt out', 'do not contact', "don't contact", 'stop texting'],
  wrong_person: [
    'wrong person',
    'wrong number',
    'who is this',
    'never signed up',
    "didn't request",
    'did not request',
  ],
  not_now: ['not now', 'not right now', 'later', 'next month', 'few weeks', 'busy', 'not interested'],
  objection: ['price', 'cost', 'how much', 'expensive', 'afford', 'too much'],
  scheduling: [
    'what times',
    'when can',
    'available',
    'works for me',
    'mornings',
    'afternoons',
    'evenings',
    'tomorrow',
    'book',
    'schedule',
    'after 5',
    'the first one',
    'the second one',
    'either works',
  ],
  positive: [
    'yes',
    'yeah',
    'sure',
    'interested',
    'sounds good',
    'learn more',
    'please',
    'ok',
    'okay',
    'great',
  ],
  question: ['?'],
};

/** Words scored +1 / −1 by the reply sentiment (sum, clipped to [−3, 3]). */
export const SENTIMENT_LEXICON = {
  positive: [
    'yes',
    'yeah',
    'sure',
    'great',
    'good',
    'interested',
    'thanks',
    'thank',
    'love',
    'perfect',
    'awesome',
    'ok',
    'okay',
    'please',
    'glad',
    'works',
  ],
  negative: [
    'no',
    'not',
    'stop',
    'never',
    'wrong',
    'busy',
    'expensive',
    'unsubscribe',
    'spam',
    "don't",
    'later',
    'annoying',
    'remove',
  ],
} as const;

/** Call-to-action phrases of outbound messages. */
export const CTA_LEXICON = [
  'book',
  'schedule',
  'reserve',
  'grab one',
  'grab a',
  'call me',
  'reply',
  'click',
  'pick a time',
  'which one works',
  'which works',
  'let me know',
  'want me to',
] as const;

const PERSONALIZATION =
  /\[(?:first_name|last_name|full_name)\]|\{\{?\s*(?:first_name|last_name|full_name)\s*\}?\}/gi;
const LINK = /https?:\/\/|www\./gi;
/** A concrete clock time: "2:00 PM", "10 am", "10:30am". */
const CLOCK_TIME = /\b(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:am|pm)\b/gi;
const WORD = /[a-z']+/g;

function phraseRegex(phrases: readonly string[]): RegExp {
  const alt = phrases
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .map((p) => (/^\w/.test(p) ? `\\b${p}` : p) + (/\w$/.test(p) ? '\\b' : ''))
    .join('|');
  return new RegExp(alt, 'i');
}

const INTENT_RES = (INTENTS.filter((i) => i !== 'other') as Exclude<Intent, 'other'>[]).map(
  (i) => [i, phraseRegex(INTENT_LEXICON[i])] as const,
);
const CTA_RE = phraseRegex(CTA_LEXICON);
const POS = new Set<string>(SENTIMENT_LEXICON.positive);
const NEG = new Set<string>(SENTIMENT_LEXICON.negative);

function count(re: RegExp, s: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(s) !== null) n++;
  return n;
}

/** Measures of an outbound message or prompt. */
export interface OutboundTextStats {
  readonly length: number;
  readonly questions: number;
  readonly personalization: number;
  readonly links: number;
  readonly cta: boolean;
  /** Concrete clock times offered ("Tue 3/10 at 2:00 PM"). */
  readonly timeOffers: number;
}

/** Length, question marks, personalization tokens, links, call to action and time offers. */
export function outboundTextStats(text: string): OutboundTextStats {
  let questions = 0;
  for (let i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) questions++;
  return {
    length: text.length,
    questions,
    personalization: count(PERSONALIZATION, text),
    links: count(LINK, text),
    cta: CTA_RE.test(text),
    timeOffers: count(CLOCK_TIME, text),
  };
}

/** The intent of a reply by the lexicon: the first intent in {@link INTENTS} order with a match. */
export function replyIntent(text: string): Intent {
  for (const [intent, re] of INTENT_RES) if (re.test(text)) return intent;
  return 'other';
}

/** Lexicon sentiment of a reply: positive minus negative words, clipped to [−3, 3]. */
export function replySentiment(text: string): number {
  let s = 0;
  const words = text.toLowerCase().match(WORD) ?? [];
  for (const w of words) {
    if (POS.has(w)) s++;
    else if (NEG.has(w)) s--;
  }
  return Math.max(-3, Math.min(3, s));
}
