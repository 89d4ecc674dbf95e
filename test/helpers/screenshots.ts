// The README's screenshots are taken by the browser tests: one light and one dark picture per name.
import type { Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const shots = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Colour-scheme transitions settle before the picture is taken.
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(shots, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
