import { describe, expect, it } from 'vitest';
import { outboundTextStats, replyIntent, replySentiment } from './text.js';

describe('outboundTextStats', () => {
  it('when a text offers two slots with a name token, a link and a question then each is counted', () => {
    const text = 'Hi [first_name]! Tue 3/10 at 2:00 PM or Wed 3/11 at 10:30 AM? Book at https://x.example/b';
    expect(outboundTextStats(text)).toEqual({
      length: text.length,
      questions: 1,
      personalization: 1,
      links: 1,
      cta: true,
      timeOffers: 2,
    });
  });

  it('when a text is plain then nothing is counted', () => {
    expect(outboundTextStats('Thanks for reaching out.')).toEqual({
      length: 24,
      questions: 0,
      personalization: 0,
      links: 0,
      cta: false,
      timeOffers: 0,
    });
  });

  it('when a template uses {first_name} or {{ full_name }} then they count as personalization', () => {
    expect(outboundTextStats('Hey {first_name}, {{ full_name }}').personalization).toBe(2);
  });
});

describe('replyIntent', () => {
  it.each([
    ['STOP', 'opt_out'],
    ['Please unsubscribe me', 'opt_out'],
    ['I think you have the wrong person, I never signed up for this', 'wrong_person'],
    ['Not right now, maybe next month', 'not_now'],
    ['How much does it cost?', 'objection'],
    ['What times do you have tomorrow?', 'scheduling'],
    ["Yes I'm interested", 'positive'],
    ['Is this the company from the Facebook ad?', 'question'],
    ['k', 'other'],
  ])('when the reply is "%s" then the intent is %s', (text, intent) => {
    expect(replyIntent(text)).toBe(intent);
  });

  it('when "stop" is inside another word then it is not an opt-out', () => {
    expect(replyIntent('Nonstop questions?')).toBe('question');
  });
});

describe('replySentiment', () => {
  it('when a reply has positive and negative words then the sentiment is their difference, clipped', () => {
    expect(replySentiment('Yes, sounds good, thanks!')).toBe(3);
    expect(replySentiment('No, not now, stop, never, wrong')).toBe(-3);
    expect(replySentiment('Yes but busy')).toBe(0);
  });
});
