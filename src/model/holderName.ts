/**
 * Account holder names as clustering compares them: banks print the same person as
 * `PAULISSEN G.J.L.M.`, `Paulissen G J L M` or `Paulißen`, and a transliterated `Garcia` for
 * `García`. The normal form folds case, diacritics (NFKD without combining marks), the letters
 * NFKD leaves whole (ß, æ, ø, ł …), punctuation and spacing. Non-Latin scripts are kept as they are.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
  ħ: 'h',
  Ħ: 'h',
  ŧ: 't',
  Ŧ: 't',
  ŋ: 'ng',
  Ŋ: 'ng',
};

export function normaliseHolderName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßẞæÆœŒøØłŁđĐðÐþÞıħĦŧŦŋŊ]/g, (char) => LETTER_FOLDS[char] ?? char)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}&]+/gu, ' ')
    .trim();
}
