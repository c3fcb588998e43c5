import { describe, expect, it } from 'vitest';
import { RepertoireIndex } from './index';
import { asciiCreatorTokens, creatorsCompatible, creatorTokens, normaliseTitle } from './normalise';
import { toSimplified } from './t2s';

describe('normaliseTitle', () => {
  it('folds width, case, punctuation and whitespace', () => {
    expect(normaliseTitle('ＬＯＶＥ ＳＯＮＧ！')).toBe('lovesong');
    expect(normaliseTitle("  Don't  Stop-Me, Now ")).toBe('dontstopmenow');
    expect(normaliseTitle('Straße')).toBe(normaliseTitle('STRASSE'));
  });
  it('drops one leading article for Latin titles only', () => {
    expect(normaliseTitle('The Beatles')).toBe('beatles');
    expect(normaliseTitle("L'Amour")).toBe('amour');
    expect(normaliseTitle('A')).toBe('a');
    expect(normaliseTitle('Theater')).toBe('theater');
    expect(normaliseTitle('Los Angeles')).toBe('angeles');
  });
  it('makes Chinese titles width- and script-insensitive', () => {
    expect(normaliseTitle('愛的故事（上）')).toBe(normaliseTitle('爱的故事(上)'));
    expect(normaliseTitle('聽海')).toBe(normaliseTitle('听海'));
    expect(normaliseTitle('後來')).toBe('后来');
    expect(toSimplified('東風破')).toBe('东风破');
  });
  it('keeps a key for titles made only of punctuation', () => {
    expect(normaliseTitle('?!')).toBe('?!');
    expect(normaliseTitle('')).toBe('');
  });
});

describe('ASCII fast paths', () => {
  it('give the tokens and keys of the Unicode path on any ASCII text', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const slowTokens = (n: string) => n.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\p{Z}\p{C}]+/gu, ' ').trim().split(/\s+/u).filter((x) => x !== '').sort();
    for (let k = 0; k < 3000; k++) {
      const s = Array.from({ length: Math.floor(rnd() * 24) }, () => String.fromCharCode(rnd() < 0.8 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 128))).join('');
      expect(asciiCreatorTokens(s), JSON.stringify(s)).toEqual(slowTokens(s));
      expect(creatorTokens(s), JSON.stringify(s)).toEqual(slowTokens(s));
    }
    expect(asciiCreatorTokens('Zoë')).toBeUndefined();
    expect(creatorTokens('GAYE, Marvin')).toEqual(['gaye', 'marvin']);
  });
});

describe('creators', () => {
  it('compares names order-, case- and initial-insensitively', () => {
    expect(creatorsCompatible(creatorTokens('GAYE MARVIN'), creatorTokens('Marvin Gaye'))).toBe(true);
    expect(creatorsCompatible(creatorTokens('M. Gaye'), creatorTokens('Marvin Gaye'))).toBe(true);
    expect(creatorsCompatible(creatorTokens('Carl Wilson'), creatorTokens('Brian Wilson'))).toBe(false);
    expect(creatorsCompatible(creatorTokens('M.'), creatorTokens('Marvin Gaye'))).toBe(false);
    expect(creatorsCompatible(creatorTokens('周杰倫'), creatorTokens('周杰伦'))).toBe(true);
  });
});

async function index() {
  return RepertoireIndex.build(
    [
      { workId: 'W1', iswc: 'T-034.524.680-1', titles: ['Sexual Healing'], creators: ['Marvin Gaye', 'Odell Brown', 'David Ritz'] },
      { workId: 'W2', iswc: 'T9109247316', titles: ['All I Want Is You'], creators: ['Justin Bieber'] },
      { workId: 'W3', titles: ['愛的故事', 'Love Story (Chinese)'], creators: ['孫耀威'] },
      { workId: 'W4', titles: ['Yesterday'], creators: ['John Lennon', 'Paul McCartney'] },
      { workId: 'W5', titles: ['Yesterday'], creators: ['Paul Smith'] },
      { workId: 'W6', titles: ['Medley Part A'], creators: ['A Writer'] },
      { workId: 'W7', titles: ['Medley Part B'], creators: ['B Writer'] },
    ],
    [
      { isrc: 'USSM19803037', workId: 'W1' },
      { isrc: 'GB-AAA-01-00001', workId: 'W6' },
      { isrc: 'GBAAA0100001', workId: 'W7' },
    ],
  );
}

describe('RepertoireIndex.match', () => {
  it('matches by work id, ISWC, ISRC and title + creator, in that order', async () => {
    const idx = await index();
    expect(idx.size).toBe(7);
    expect(idx.match({ workId: 'W2', iswc: 'T0345246801' })).toEqual({ matched: true, workId: 'W2', method: 'work_id' });
    expect(idx.match({ workId: 'nope', iswc: 'T0345246801' })).toEqual({ matched: true, workId: 'W1', method: 'iswc' });
    expect(idx.match({ isrc: 'ussm19803037' })).toEqual({ matched: true, workId: 'W1', method: 'isrc' });
    expect(idx.match({ title: 'SEXUAL HEALING', creators: ['GAYE MARVIN'] })).toEqual({ matched: true, workId: 'W1', method: 'title_creator' });
    expect(idx.match({ title: '爱的故事', creators: ['孙耀威'] })).toEqual({ matched: true, workId: 'W3', method: 'title_creator' });
    expect(idx.match({ title: 'ＬＯＶＥ ＳＴＯＲＹ （ＣＨＩＮＥＳＥ）', creators: ['孫耀威'] })).toMatchObject({ matched: true, workId: 'W3' });
  });

  it('gives reason codes for unmatched usage', async () => {
    const idx = await index();
    expect(idx.match({})).toEqual({ matched: false, reason: 'UNMATCHED.NO_IDENTIFIERS' });
    expect(idx.match({ workId: 'W99' })).toEqual({ matched: false, reason: 'UNMATCHED.UNKNOWN_WORK_ID' });
    expect(idx.match({ iswc: 'T0000000001' })).toEqual({ matched: false, reason: 'UNMATCHED.UNKNOWN_ISWC' });
    expect(idx.match({ isrc: 'FRZZZ9900001' })).toEqual({ matched: false, reason: 'UNMATCHED.UNKNOWN_ISRC' });
    expect(idx.match({ title: 'Yesterday' })).toEqual({ matched: false, reason: 'UNMATCHED.NO_CREATORS' });
    expect(idx.match({ title: 'Unknown Song', creators: ['Someone'] })).toEqual({ matched: false, reason: 'UNMATCHED.NOT_FOUND' });
    expect(idx.match({ isrc: 'GBAAA0100001' })).toEqual({ matched: false, reason: 'UNMATCHED.AMBIGUOUS_ISRC', candidates: ['W6', 'W7'] });
  });

  it('disambiguates by creator, and reports real ambiguity', async () => {
    const idx = await index();
    expect(idx.match({ title: 'Yesterday', creators: ['P. McCartney'] })).toEqual({ matched: true, workId: 'W4', method: 'title_creator' });
    expect(idx.match({ title: 'Yesterday', creators: ['Paul'] })).toEqual({ matched: false, reason: 'UNMATCHED.AMBIGUOUS_TITLE', candidates: ['W4', 'W5'] });
    expect(idx.match({ isrc: 'GBAAA0100001', title: 'Medley part b' })).toEqual({ matched: true, workId: 'W7', method: 'isrc' });
  });

  it('falls back to title when an identifier is unknown', async () => {
    const idx = await index();
    expect(idx.match({ iswc: 'T0000000001', title: 'All I want is you', creators: ['Bieber'] })).toEqual({ matched: true, workId: 'W2', method: 'title_creator' });
  });

  it('refuses duplicate work ids and neutralises an ISWC on two works', async () => {
    const idx = await RepertoireIndex.build([
      { workId: 'A', iswc: 'T0345246801', titles: ['x'], creators: [] },
      { workId: 'A', titles: ['y'], creators: [] },
      { workId: 'B', iswc: 'T-034.524.680-1', titles: ['z'], creators: [] },
    ]);
    expect(idx.size).toBe(2);
    expect(idx.buildConflicts).toHaveLength(2);
    expect(idx.match({ iswc: 'T0345246801' })).toEqual({ matched: false, reason: 'UNMATCHED.UNKNOWN_ISWC' });
  });

  it('keeps title matches right, in the order works were added, as works are added after the first title match', async () => {
    const idx = await RepertoireIndex.build([{ workId: 'A0', titles: ['Shared Song'], creators: ['Ann Writer'] }]);
    expect(idx.match({ title: 'shared song', creators: ['Ann Writer'] })).toEqual({ matched: true, workId: 'A0', method: 'title_creator' });
    for (let i = 1; i <= 5000; i++) idx.addWork({ workId: `A${i}`, titles: i % 1000 === 0 ? ['The Shared Song', `Alt ${i}`] : [`Song ${i}`], creators: ['Ann Writer'] });
    expect(idx.match({ title: 'Shared Song!', creators: ['A. Writer'] })).toEqual({ matched: false, reason: 'UNMATCHED.AMBIGUOUS_TITLE', candidates: ['A0', 'A1000', 'A2000', 'A3000', 'A4000', 'A5000'] });
    expect(idx.match({ title: 'song 4321', creators: ['Writer Ann'] })).toEqual({ matched: true, workId: 'A4321', method: 'title_creator' });
    expect(idx.match({ title: 'ALT 3000', creators: ['Ann Writer'] })).toEqual({ matched: true, workId: 'A3000', method: 'title_creator' });
  });

  it('matches 1e5 lookups quickly', async () => {
    const works = Array.from({ length: 20000 }, (_, i) => ({ workId: `W${i}`, titles: [`Song number ${i}`], creators: [`Writer ${i % 97}`] }));
    const idx = await RepertoireIndex.build(works);
    const t0 = performance.now();
    let hits = 0;
    for (let i = 0; i < 100000; i++) if (idx.match({ title: `SONG NUMBER ${i % 20000}`, creators: [`writer ${i % 20000 % 97}`] }).matched) hits++;
    expect(hits).toBe(100000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
