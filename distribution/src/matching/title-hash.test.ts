import { describe, expect, it } from 'vitest';
import { hashRange } from './hash-tables';
import { asciiTitleKey, asciiTitleKeyHash } from './normalise';

describe('asciiTitleKeyHash', () => {
  it('is the hash of asciiTitleKey on any ASCII title, articles and spacing included', () => {
    const fixed = ['The Beatles', 'the', 'The ', ' the  end ', 'A', 'a b', 'An  Apple', "L'Amour", "l'", "l' x", "L'", 'Les x', 'les', "les'x", 'Los Angeles', 'o2 x', 'O x', 'a-ha', 'Theater', '?!', '', '   ', 'Title 123', 'DIE\tHARD', 'as', 'as x', '\u007f x', 'Gli\u000bx'];
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const words = ['the', 'a', 'an', 'le', 'la', "l'", 'los', 'die', 'o', 'Title', '123', 'x', "'", '-', ' ', '\t', 'Les', 'THE'];
    const random = Array.from({ length: 4000 }, () => Array.from({ length: Math.floor(rnd() * 6) }, () => (rnd() < 0.8 ? words[Math.floor(rnd() * words.length)] : String.fromCharCode(Math.floor(rnd() * 128)))).join(rnd() < 0.5 ? ' ' : ''));
    for (const t of [...fixed, ...random]) {
      const k = asciiTitleKey(t);
      expect(asciiTitleKeyHash(t), JSON.stringify(t)).toBe(k === undefined ? undefined : hashRange(k, 0, k.length));
    }
  });
});
