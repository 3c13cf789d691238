import { describe, expect, it } from '@jest/globals';
import { wholeWord } from '../erasure/needles.js';

describe('wholeWord', () => {
  it('finds a name or address as a whole word, in any case, with its punctuation taken literally', () => {
    expect(wholeWord('Al').test('Report for al: 3 check-ins')).toBe(true);
    expect(wholeWord('Zoë O’Neil').test('“ZOË O’NEIL” answered')).toBe(true);
    expect(wholeWord('a.b+c@x.example').test('550 <a.b+c@x.example> refused')).toBe(true);
    expect(wholeWord('a.b+c@x.example').test('550 <aXb+c@x.example> refused')).toBe(false);
  });

  it('does not find it inside another word or name', () => {
    expect(wholeWord('Al').test('total')).toBe(false);
    expect(wholeWord('Al').test('Alan')).toBe(false);
    expect(wholeWord('Zoë').test('Zoëlle')).toBe(false);
    expect(wholeWord('sam@x.example').test('sam@x.example2')).toBe(false);
  });
});
