import { hashToken } from './link-tokens.service';

describe('hashToken', () => {
  it('is the hex SHA-256 of the raw token, so the database never holds the raw value', () => {
    const raw = 'q7dXkz1n2Yb0pG4cW8vR5tLmA3sE9hJ6uK1oN2iB4fD';
    expect(hashToken(raw)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(raw)).not.toContain(raw);
    expect(hashToken(raw)).toBe(hashToken(raw));
    expect(hashToken(raw)).not.toBe(hashToken(`${raw.slice(0, -1)}X`));
  });
});
