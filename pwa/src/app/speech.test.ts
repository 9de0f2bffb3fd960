import { describe, expect, it } from 'vitest';
import { piecesToSpeak, pickVietnameseVoice } from './speech';

describe('pickVietnameseVoice', () => {
  it('finds a Vietnamese voice however the browser writes its language, preferring an offline one', () => {
    const online = { name: 'Google tiếng Việt', lang: 'vi-VN', localService: false };
    const offline = { name: 'Linh', lang: 'vi_VN', localService: true };
    expect(pickVietnameseVoice([{ name: 'Samantha', lang: 'en-US' }, online, offline])).toBe(offline);
    expect(pickVietnameseVoice([online])).toBe(online);
    expect(pickVietnameseVoice([{ name: 'x', lang: 'VI' }])?.name).toBe('x');
  });

  it('finds none where there is none (the button stays hidden)', () => {
    expect(pickVietnameseVoice([{ lang: 'en-US' }, { lang: 'vie' }, { lang: 'fr-VI' }])).toBeNull();
    expect(pickVietnameseVoice([])).toBeNull();
  });
});

describe('piecesToSpeak', () => {
  it('reads line by line and keeps short sentences together', () => {
    expect(piecesToSpeak('Điều 1\nĐảng viên phải gương mẫu. Phải học tập.\n\n')).toEqual([
      'Điều 1',
      'Đảng viên phải gương mẫu. Phải học tập.',
    ]);
  });

  it('splits long text at sentences, and a sentence too long at words', () => {
    const sentence = 'Một câu vừa phải. ';
    const pieces = piecesToSpeak(sentence.repeat(10), 40);
    expect(pieces.every((piece) => piece.length <= 40)).toBe(true);
    expect(pieces.join(' ')).toBe(sentence.repeat(10).trim());
    const long = piecesToSpeak('từ '.repeat(50), 30);
    expect(long.every((piece) => piece.length <= 30)).toBe(true);
    expect(long.join(' ').split(' ')).toHaveLength(50);
  });
});
