import { describe, expect, it } from 'vitest';
import { onlyMoves } from '../../../src/content/lib/gate';

describe('the gate’s reading of a transform around a button', () => {
  it('lets a plain move through, in 2D or 3D', () => {
    expect(onlyMoves('none')).toBe(true);
    expect(onlyMoves('matrix(1, 0, 0, 1, 120, -40)')).toBe(true);
    expect(onlyMoves('matrix3d(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 30, 40, 0, 1)')).toBe(true);
  });

  it('refuses a scale, a skew, a rotation, a flip or anything it cannot read', () => {
    expect(onlyMoves('matrix(3, 0, 0, 3, 0, 0)')).toBe(false);
    expect(onlyMoves('matrix(1, 0, 0.5, 1, 0, 0)')).toBe(false);
    expect(onlyMoves('matrix(0.707107, 0.707107, -0.707107, 0.707107, 0, 0)')).toBe(false);
    expect(onlyMoves('matrix(-1, 0, 0, 1, 0, 0)')).toBe(false);
    expect(onlyMoves('matrix3d(2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)')).toBe(false);
    expect(onlyMoves('scale(2)')).toBe(false);
  });
});
