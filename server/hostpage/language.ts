// UI_LLCC from the browser's Accept-Language: an RFC 1766 ll-CC tag (PROTOCOL §9.3), never a
// numeric LCID. Bare languages get their usual region so Office always receives ll-CC.

const DEFAULT_REGION: Record<string, string> = {
  en: 'US',
  de: 'DE',
  fr: 'FR',
  es: 'ES',
  it: 'IT',
  nl: 'NL',
  pt: 'BR',
  ja: 'JP',
  zh: 'CN',
  ko: 'KR',
  ru: 'RU',
  pl: 'PL',
  sv: 'SE',
  da: 'DK',
  fi: 'FI',
  nb: 'NO',
  cs: 'CZ',
  tr: 'TR',
  uk: 'UA',
};

export const DEFAULT_UI_LANGUAGE = 'en-US';

export function uiLanguage(acceptLanguage: string | undefined): string {
  if (!acceptLanguage) return DEFAULT_UI_LANGUAGE;
  const ranked = acceptLanguage
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const m = /^([A-Za-z]{2,3})(?:-([A-Za-z]{2}|[0-9]{3}))?(?:-|$)/.exec(tag);
    if (!m) continue;
    const lang = m[1]!.toLowerCase();
    const region = m[2]?.toUpperCase() ?? DEFAULT_REGION[lang];
    if (region) return `${lang}-${region}`;
  }
  return DEFAULT_UI_LANGUAGE;
}
