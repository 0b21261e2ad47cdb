import { reasonOf } from './suggestions.service';

describe('reasonOf', () => {
  it('names where the keyword came from, the event keyword it resembles and how closely', () => {
    expect(reasonOf({ source: 'company', sig: null, keyword: '인공지능', eventKeyword: '인공지능을', similarity: 0.8 })).toBe(
      "기업 키워드 '인공지능' ≈ 행사 키워드 '인공지능을' (0.80)",
    );
    expect(reasonOf({ source: 'sig', sig: 'AI 콘텐츠', keyword: 'machine learning', eventKeyword: 'Machine-Learning', similarity: 1 })).toBe(
      "SIG 'AI 콘텐츠' 키워드 'machine learning' ≈ 행사 키워드 'Machine-Learning' (1.00)",
    );
  });
});
