import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from './generated-files.ts';

describe('generated files', () => {
  for (const file of generatedFiles) {
    it(`${file.path} is what \`npm run gen\` writes`, async () => {
      expect(readFileSync(new URL(`../../${file.path}`, import.meta.url), 'utf8')).toBe(await file.render());
    });
  }
});
