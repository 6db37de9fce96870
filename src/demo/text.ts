// Text the demo agent works with: prompt templates (what a step asks the model to do),
// the messages the agent writes from them, and the replies leads send back. Texts are
// compiled once into parts so rendering one row is a few string concatenations.

/** Values a text may reference as `{name}`; set once per enrollment and reused. */
export interface TextVars {
  first_name: string;
  full_name: string;
  email: string;
  phone: string;
  org_name: string;
  org_phone: string;
  product: string;
  call_name: string;
  lead_source: string;
  booking_link: string;
  agent_name: string;
  slot_1: string;
  slot_2: string;
  weekday: string;
}

export type VarName = keyof TextVars;

/** A text split at its `{name}` references. */
export interface Compiled {
  readonly parts: readonly string[];
  readonly vars: readonly VarName[];
}

const VAR_NAMES: readonly VarName[] = [
  'first_name',
  'full_name',
  'email',
  'phone',
  'org_name',
  'org_phone',
  'product',
  'call_name',
  'lead_source',
  'booking_link',
  'agent_name',
  'slot_1',
  'slot_2',
  'weekday',
];

/** Compiles a text; unknown `{x}` references are kept as literal text. */
export function compile(text: string): Compiled {
  const parts: string[] = [];
  const vars: VarName[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{([a-z_0-9]+)\}/g)) {
    const name = m[1] as VarName;
    if (!VAR_NAMES.includes(name)) continue;
    parts.push(text.slice(last, m.index));
    vars.push(name);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, vars };
}

/** Renders a compiled text with `v`. */
export function render(t: Compiled, v: TextVars): string {
  let s = t.parts[0]!;
  for (let i = 0; i < t.vars.length; i++) s += v[t.vars[i]!] + t.parts[i + 1]!;
  return s;
}

/** Empty variables, to be filled per enrollment. */
export function emptyVars(): TextVars {
  const v = {} as Record<VarName, string>;
  for (const n of VAR_NAMES) v[n] = '';
  return v as TextVars;
}

/** What a step does; decides its prompt template and the messages written from it. */
export type StepKind =
  | 'first_touch_sms'
  | 'first_touch_email'
  | 'call'
  | 'follow_up_sms'
  | 'follow_up_email'
  | 'breakup_email'
  | 'recap_email'
  | 'reengage_email'
  | 'nudge_sms';

/**
 * A template's writing style. Most kinds have one (`default`); the A/B variants differ in
 * style: `two_slots` offers concrete times (a planted effect), `hi`/`hey` and
 * `subject_plain`/`subject_emoji` differ only superficially (controls, no effect).
 */
export type Style =
  | 'default'
  | 'open_question'
  | 'two_slots'
  | 'hi'
  | 'hey'
  | 'subject_plain'
  | 'subject_emoji';

export interface KindInfo {
  readonly channel: 'sms' | 'email' | 'voice';
  readonly purpose: string;
  readonly label: string;
}

export const KINDS: Readonly<Record<StepKind, KindInfo>> = {
  first_touch_sms: { channel: 'sms', purpose: 'first_touch', label: 'First touch SMS' },
  first_touch_email: { channel: 'email', purpose: 'first_touch', label: 'Thank-you email' },
  call: { channel: 'voice', purpose: 'call_script', label: 'Discovery call' },
  follow_up_sms: { channel: 'sms', purpose: 'follow_up', label: 'Follow-up SMS' },
  follow_up_email: { channel: 'email', purpose: 'follow_up', label: 'Follow-up email' },
  breakup_email: { channel: 'email', purpose: 'breakup', label: 'Breakup email' },
  recap_email: { channel: 'email', purpose: 'recap', label: 'Call recap email' },
  reengage_email: { channel: 'email', purpose: 'reengage', label: 'Re-engagement email' },
  nudge_sms: { channel: 'sms', purpose: 'nudge', label: 'SMS nudge' },
};

const PROMPTS: Readonly<Record<string, string>> = {
  'first_touch_sms:open_question':
    'You are {agent_name}, the AI assistant for {org_name}. {full_name} just asked about {product} ({lead_source}). ' +
    "Write a friendly first text: introduce yourself, mention their request, and ask an open question about when they'd like a {call_name}. " +
    'Max 300 characters, no links, no emojis.',
  'first_touch_sms:two_slots':
    'You are {agent_name}, the AI assistant for {org_name}. {full_name} just asked about {product} ({lead_source}). ' +
    'Write a friendly first text: introduce yourself, mention their request, and offer exactly two concrete times for a 15-minute {call_name} ' +
    'on the next two business days in their local time ({slot_1} or {slot_2}). Ask which one works. Max 300 characters, no links.',
  'first_touch_email:default':
    'Write a thank-you email to {full_name} for attending the {org_name} webinar on {product}. Subject under 50 characters. ' +
    'Offer the replay and invite them to book a {call_name} at {booking_link}. Sign as {agent_name}.',
  'call:default':
    'Call {full_name} about {product}. Introduce yourself as {agent_name} from {org_name}, confirm they asked about {product}, ' +
    'ask up to three qualifying questions (timeline, budget, decision maker) and offer to book a {call_name}. ' +
    'If you reach voicemail, leave a message under 25 seconds with callback number {org_phone} and say you will follow up by text.',
  'follow_up_sms:default':
    'Write a short follow-up text to {first_name}, who has not replied. Reference your earlier message about {product}, ' +
    'add one helpful detail, and ask if they still want a {call_name}. Under 240 characters.',
  'follow_up_sms:hi':
    'Write a short follow-up text to {first_name}, who has not replied. Start with "Hi {first_name},". ' +
    'Reference your earlier message about {product}, add one helpful detail, and ask if they still want a {call_name}. Under 240 characters.',
  'follow_up_sms:hey':
    'Write a short follow-up text to {first_name}, who has not replied. Start with "Hey {first_name}!". ' +
    'Reference your earlier message about {product}, add one helpful detail, and ask if they still want a {call_name}. Under 240 characters.',
  'follow_up_email:default':
    'Write a follow-up email to {full_name} about {product}. Subject under 50 characters. Three short paragraphs: what they asked for, ' +
    'one benefit customers mention, and a clear ask to book a {call_name} at {booking_link}. Sign as {agent_name}, {org_name}.',
  'breakup_email:default':
    'Write a polite breakup email to {first_name}: this is the last message about {product} for now, no pressure; ' +
    'if timing changes they can book a {call_name} at {booking_link} or reply. Under 120 words.',
  'recap_email:default':
    'Write a recap email to {first_name} after your call: thank them, summarize what you discussed about {product}, ' +
    'and include {booking_link} to book the {call_name}.',
  'reengage_email:subject_plain':
    'Write a re-engagement email to {full_name}, who asked about {product} a while ago but never booked. ' +
    'Subject line: "Still thinking about {product}, {first_name}?". Share one new reason to look again and invite them to book a {call_name} at {booking_link}.',
  'reengage_email:subject_emoji':
    'Write a re-engagement email to {full_name}, who asked about {product} a while ago but never booked. ' +
    'Subject line: "👋 Still thinking about {product}, {first_name}?". Share one new reason to look again and invite them to book a {call_name} at {booking_link}.',
  'nudge_sms:default':
    'Send {first_name} a short text nudge about the email you sent on {product}. Ask one yes/no question: are they still interested? Under 160 characters.',
};

/** The prompt template text of a kind in a style (falls back to the kind's default). */
export function promptText(kind: StepKind, style: Style): string {
  return PROMPTS[`${kind}:${style}`] ?? PROMPTS[`${kind}:default`] ?? PROMPTS[`${kind}:open_question`]!;
}

/** An email: subject and body. */
export interface EmailText {
  readonly subject: Compiled;
  readonly body: Compiled;
}

const SMS: Readonly<Record<string, readonly string[]>> = {
  'first_touch_sms:open_question': [
    'Hi {first_name}, this is {agent_name} with {org_name}. Thanks for your interest in {product}! When would be a good time for a quick {call_name}?',
    'Hi {first_name}! {agent_name} here from {org_name}, I saw your request about {product}. What day works best for a short {call_name}?',
    "Hello {first_name}, it's {agent_name} at {org_name}. Got your info about {product}. Would you like to set up a {call_name} this week?",
  ],
  'first_touch_sms:two_slots': [
    'Hi {first_name}, this is {agent_name} with {org_name}. Thanks for asking about {product}! I can do a 15-min {call_name} {slot_1} or {slot_2}. Which works better?',
    'Hi {first_name}! {agent_name} from {org_name} here. I have two openings for your {call_name}: {slot_1} or {slot_2}. Want me to grab one for you?',
  ],
  'follow_up_sms:default': [
    'Hi {first_name}, just following up on {product}. Most of our clients start with a quick {call_name}. Still interested?',
    'Hi {first_name}, checking back in about {product}. Happy to answer questions on a short {call_name}. Does this week work?',
  ],
  'follow_up_sms:hi': [
    'Hi {first_name}, just following up on {product}. Most of our clients start with a quick {call_name}. Still interested?',
    'Hi {first_name}, checking back in about {product}. Happy to answer questions on a short {call_name}. Does this week work?',
  ],
  'follow_up_sms:hey': [
    'Hey {first_name}! Just following up on {product}. Most of our clients start with a quick {call_name}. Still interested?',
    'Hey {first_name}! Checking back in about {product}. Happy to answer questions on a short {call_name}. Does this week work?',
  ],
  'nudge_sms:default': [
    "Hi {first_name}, did you get my email about {product}? Just reply YES if you'd still like to chat.",
    'Hi {first_name}, {agent_name} from {org_name} again. Still interested in {product}? A quick yes or no is perfect.',
  ],
};

const EMAIL: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  'first_touch_email:default': [
    [
      'Thanks for joining us, {first_name}',
      'Hi {first_name},\n\nThanks for attending our session on {product}. The replay is on its way.\n\nIf you want to talk through your situation, book a {call_name} here: {booking_link}\n\nBest,\n{agent_name}\n{org_name}',
    ],
  ],
  'follow_up_email:default': [
    [
      'Your {product} questions, {first_name}',
      'Hi {first_name},\n\nThanks again for reaching out to {org_name} about {product}. Customers tell us the {call_name} made the next step clear.\n\nYou can pick a time here: {booking_link}\n\nBest,\n{agent_name}\n{org_name}',
    ],
    [
      'Following up on {product}',
      'Hi {first_name},\n\nI wanted to make sure you saw my text about {product}. A {call_name} takes 15 minutes and there is no obligation.\n\nGrab a time: {booking_link}\n\nThanks,\n{agent_name}',
    ],
  ],
  'breakup_email:default': [
    [
      'Should I close your file, {first_name}?',
      "Hi {first_name},\n\nI haven't heard back, so this is my last note about {product} for now. If the timing changes, you can book a {call_name} anytime at {booking_link} or just reply here.\n\nAll the best,\n{agent_name}\n{org_name}",
    ],
  ],
  'recap_email:default': [
    [
      'Great talking today, {first_name}',
      'Hi {first_name},\n\nThanks for taking my call. As discussed, the next step for {product} is a {call_name} with one of our specialists: {booking_link}\n\nTalk soon,\n{agent_name}\n{org_name}',
    ],
  ],
  'reengage_email:subject_plain': [
    [
      'Still thinking about {product}, {first_name}?',
      'Hi {first_name},\n\nA while ago you asked us about {product}. A lot has changed since then, including new options that make it easier to get started.\n\nIf you want a fresh look, book a {call_name}: {booking_link}\n\n{agent_name}, {org_name}',
    ],
  ],
  'reengage_email:subject_emoji': [
    [
      '👋 Still thinking about {product}, {first_name}?',
      'Hi {first_name},\n\nA while ago you asked us about {product}. A lot has changed since then, including new options that make it easier to get started.\n\nIf you want a fresh look, book a {call_name}: {booking_link}\n\n{agent_name}, {org_name}',
    ],
  ],
};

const CALL_CONNECTED: readonly string[] = [
  'Call summary: spoke with {first_name} about {product}. Asked about timeline and budget; {first_name} wants more details. Offered a {call_name}.',
  "Transcript excerpt. {agent_name}: Hi {first_name}, this is {agent_name} from {org_name}, calling about your request for {product}. Is now a good time? Lead: Sure, I've got a few minutes.",
  'Call summary: {first_name} confirmed interest in {product}, has questions about cost and timing. Discussed next steps and the {call_name}.',
];
const VOICEMAIL: readonly string[] = [
  'Hi {first_name}, this is {agent_name} from {org_name} following up on your request about {product}. Give me a call back at {org_phone}, or just reply to my text. Talk soon!',
  "Hey {first_name}, {agent_name} with {org_name} here. I'd love to set up your {call_name}. You can reach me at {org_phone}. I'll also send you a quick text.",
];

/** Intents of inbound replies; booked leads reply more often and more positively. */
export type ReplyIntent =
  | 'interested'
  | 'asks_times'
  | 'picks_slot'
  | 'question'
  | 'price_objection'
  | 'not_now'
  | 'wrong_person'
  | 'stop'
  | 'contact_info';

const REPLIES: Readonly<Record<ReplyIntent, readonly string[]>> = {
  interested: [
    "Yes I'm interested",
    'Yes! When can we talk?',
    "Sounds good, I'd like to learn more",
    'Sure, that would be great',
    'yes please',
  ],
  asks_times: [
    'What times do you have tomorrow?',
    'Can we do {weekday} afternoon?',
    'Do you have anything after 5pm?',
    'Mornings are best for me, what do you have?',
  ],
  picks_slot: ['{slot_1} works for me', 'The second one, {slot_2}', '{slot_1} is perfect, thanks'],
  question: [
    'Is this the company from the Facebook ad?',
    'How long does the {call_name} take?',
    'Do you work in my area?',
    'Is there any cost for this?',
  ],
  price_objection: [
    'How much does it cost?',
    'Too expensive for me right now',
    'I got a cheaper quote elsewhere, can you beat it?',
    "What's the price range? I'm on a tight budget",
  ],
  not_now: [
    'Not right now, maybe next month',
    'Busy this week, reach out later',
    "Not a good time, I'll let you know",
    'Can you follow up in a few weeks?',
  ],
  wrong_person: [
    'Wrong number',
    'I think you have the wrong person, I never signed up for this',
    "Who is this? I didn't request anything",
  ],
  stop: ['STOP', 'Stop', 'UNSUBSCRIBE', 'stop texting me', 'Please remove me from your list'],
  contact_info: [
    'Sure, email me at {email} instead',
    'Call me at {phone} after 5pm',
    'Text is fine, or email {email}',
    "Yes, I'm interested. Best number is {phone}",
  ],
};

const AGENT_REPLIES: readonly string[] = [
  'Great, {first_name}! You can grab a time for your {call_name} here: {booking_link}',
  'Perfect, thanks {first_name}. I just sent you a link to pick a time: {booking_link}',
  "Happy to help, {first_name}. The {call_name} is free and takes about 15 minutes. Here's the link: {booking_link}",
];

/** Conversation tags the CRM puts on inbound replies of each intent. */
export const REPLY_TAGS: Readonly<Record<ReplyIntent, string>> = {
  interested: 'inbound,interested',
  asks_times: 'inbound,asked-times',
  picks_slot: 'inbound,interested,slot-picked',
  question: 'inbound,question',
  price_objection: 'inbound,price-objection',
  not_now: 'inbound,not-now',
  wrong_person: 'inbound,wrong-person',
  stop: 'inbound,opt-out,dnd',
  contact_info: 'inbound,interested,contact-info',
};

const compileAll = (xs: readonly string[]): readonly Compiled[] => xs.map(compile);

/** Every compiled text the simulation renders from. */
export interface TextBank {
  readonly sms: ReadonlyMap<string, readonly Compiled[]>;
  readonly email: ReadonlyMap<string, readonly EmailText[]>;
  readonly callConnected: readonly Compiled[];
  readonly voicemail: readonly Compiled[];
  readonly replies: Readonly<Record<ReplyIntent, readonly Compiled[]>>;
  readonly agentReplies: readonly Compiled[];
}

/** Compiles the text bank (once per generator). */
export function buildTextBank(): TextBank {
  const sms = new Map<string, readonly Compiled[]>();
  for (const [k, v] of Object.entries(SMS)) sms.set(k, compileAll(v));
  const email = new Map<string, readonly EmailText[]>();
  for (const [k, v] of Object.entries(EMAIL)) {
    email.set(
      k,
      v.map(([s, b]) => ({ subject: compile(s), body: compile(b) })),
    );
  }
  const replies = {} as Record<ReplyIntent, readonly Compiled[]>;
  for (const [k, v] of Object.entries(REPLIES)) replies[k as ReplyIntent] = compileAll(v);
  return {
    sms,
    email,
    callConnected: compileAll(CALL_CONNECTED),
    voicemail: compileAll(VOICEMAIL),
    replies,
    agentReplies: compileAll(AGENT_REPLIES),
  };
}

/** Key of a kind and style in the bank, falling back to the kind's default style. */
export function bankKey(bank: TextBank, kind: StepKind, style: Style): string {
  const k = `${kind}:${style}`;
  if (bank.sms.has(k) || bank.email.has(k)) return k;
  const d = `${kind}:default`;
  return bank.sms.has(d) || bank.email.has(d) ? d : `${kind}:open_question`;
}
