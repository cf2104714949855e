import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../../lib/templates/render-sms.js';

describe('counting SMS segments', () => {
  describe('when every character is in the GSM alphabet', () => {
    it('fits 160 characters in one segment', () => {
      expect(countSmsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    });

    it('splits 161 characters into two segments of at most 153', () => {
      expect(countSmsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
      expect(countSmsSegments('a'.repeat(306)).segments).toBe(2);
      expect(countSmsSegments('a'.repeat(307)).segments).toBe(3);
    });

    it('stays GSM-7 for accented letters and Greek capitals the alphabet has', () => {
      expect(countSmsSegments('Café à Århus: ΔΣΩ £5 ¿Qué? ¡Ñ!').encoding).toBe('GSM-7');
    });

    it('counts extension characters such as € and braces as two septets', () => {
      expect(countSmsSegments('€{}[]~^|\\')).toEqual({ encoding: 'GSM-7', units: 18, segments: 1 });
      expect(countSmsSegments('€'.repeat(80)).segments).toBe(1);
      expect(countSmsSegments('€'.repeat(81)).segments).toBe(2);
    });

    it('never splits an escaped character across segments', () => {
      // 152 plain septets leave one free in the first segment; the € needs two, so it moves on.
      const count = countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`);
      expect(count.units).toBe(306);
      expect(count.segments).toBe(3);
    });
  });

  describe('when a character is outside the GSM alphabet', () => {
    it('switches the whole message to UCS-2, 70 characters in one segment', () => {
      expect(countSmsSegments(`${'a'.repeat(69)}ç`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    });

    it('splits longer UCS-2 text into segments of at most 67', () => {
      expect(countSmsSegments(`${'a'.repeat(70)}ł`).segments).toBe(2);
      expect(countSmsSegments('ł'.repeat(134)).segments).toBe(2);
      expect(countSmsSegments('ł'.repeat(135)).segments).toBe(3);
    });

    it('counts an emoji as two units and keeps its surrogate pair in one segment', () => {
      expect(countSmsSegments('📚')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
      const count = countSmsSegments(`${'a'.repeat(66)}📚${'a'.repeat(66)}`);
      expect(count.units).toBe(134);
      expect(count.segments).toBe(3);
    });
  });

  it('counts nothing to send as no segments', () => {
    expect(countSmsSegments('').segments).toBe(0);
  });
});
