import { describe, expect, it } from 'vitest';
import { fallbackOrigin, originAllowed } from '../../../src/background/allowed';

describe('allowed portal origins', () => {
  it('lets a port-less entry cover every port of its scheme and host, and nothing else', () => {
    const allowed = ['http://127.0.0.1', 'https://learn.example.com'];
    expect(originAllowed('http://127.0.0.1:4310', allowed)).toBe(true);
    expect(originAllowed('http://127.0.0.1', allowed)).toBe(true);
    expect(originAllowed('https://127.0.0.1:4310', allowed)).toBe(false);
    expect(originAllowed('https://learn.example.com', allowed)).toBe(true);
    expect(originAllowed('https://learn.example.com.evil.test', allowed)).toBe(false);
    expect(originAllowed('not a url', allowed)).toBe(false);
  });

  it('falls back only to an https portal the manager added, never to a loopback pattern', () => {
    expect(fallbackOrigin(['http://127.0.0.1', 'http://localhost'])).toBeNull();
    expect(fallbackOrigin(['http://127.0.0.1', 'https://learn.example.com/'])).toBe(
      'https://learn.example.com',
    );
    expect(fallbackOrigin([])).toBeNull();
  });
});
