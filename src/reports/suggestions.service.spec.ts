import { join } from 'node:path';
import { loadStringTables } from '../common/templates/string-table';
import { reasonOf } from './suggestions.service';

describe('reasonOf', () => {
  const tables = loadStringTables(join(__dirname, '../../templates'));

  it("names where the keyword came from, the event keyword it resembles and how closely, in the reader's language", () => {
    const company = { source: 'company', sig: null, keyword: '인공지능', eventKeyword: '인공지능을', similarity: 0.8 } as const;
    const sig = { source: 'sig', sig: 'AI 콘텐츠', keyword: 'machine learning', eventKeyword: 'Machine-Learning', similarity: 1 } as const;
    expect(reasonOf(company, tables.get('ko')!)).toBe("기업 키워드 '인공지능' ≈ 행사 키워드 '인공지능을' (0.80)");
    expect(reasonOf(sig, tables.get('ko')!)).toBe("SIG 'AI 콘텐츠' 키워드 'machine learning' ≈ 행사 키워드 'Machine-Learning' (1.00)");
    expect(reasonOf(company, tables.get('en')!)).toBe("company keyword '인공지능' ≈ event keyword '인공지능을' (0.80)");
    expect(reasonOf(sig, tables.get('en')!)).toBe("SIG 'AI 콘텐츠' keyword 'machine learning' ≈ event keyword 'Machine-Learning' (1.00)");
  });

  it('keeps a keyword as written: the page escapes it, the string table does not', () => {
    const tricky = { source: 'company', sig: null, keyword: `<b>"AI" & 'ML'</b>`, eventKeyword: '{{x}}', similarity: 0.5 } as const;
    expect(reasonOf(tricky, tables.get('en')!)).toBe(`company keyword '<b>"AI" & 'ML'</b>' ≈ event keyword '{{x}}' (0.50)`);
  });
});
