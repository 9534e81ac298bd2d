/**
 * Helpers for tests that check text drawn with `@scriptsensei/fonts` comes out as glyphs, not
 * missing-glyph boxes, in every script: sample texts, a grid of one grapheme per cell, and picture
 * comparisons. Pure functions over decoded pixels: no renderer or test runner is needed.
 */
export {
  SCRIPT_SAMPLES,
  UNMAPPED,
  boxesFor,
  GRID,
  GRID_FONT_SIZE,
  gridCell,
  gridGraphemes,
  inkIn,
  differenceIn,
  unreadable,
  widestGapSide,
  type Picture,
  type Region,
} from './glyph-pictures.js';
