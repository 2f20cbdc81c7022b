import { CATALOGS, LANGUAGES, type Language, type Locale } from "./i18n/locale";

/**
 * The page's own words (the form, the header, the footer) in `locale`, the document's language
 * and direction with them, and the language switch, which calls `choose` with the visitor's pick.
 * The server writes the same words into the HTML it sends (page-html.ts): this keeps them in step
 * when the browser's language or the visitor's choice differs from what the server guessed.
 */
export function applyPageText(doc: Document, locale: Locale, choose: (lang: Language) => void): void {
  const { t } = locale;
  doc.documentElement.lang = locale.lang;
  doc.documentElement.dir = locale.dir;
  doc.title = t.page.title;
  const text = (id: string, value: string) => {
    const el = doc.getElementById(id);
    if (el) el.textContent = value;
  };
  text("header-text", t.page.header);
  text("code-label", t.page.label);
  text("check", t.page.check);
  text("language-label", t.page.language);
  text("footer", t.page.footer);
  text("photo-label", t.page.photo);
  const scan = doc.getElementById("scan") as HTMLButtonElement | null;
  if (scan) scan.textContent = scan.disabled ? t.page.cameraUnavailable : t.page.scan;
  doc.getElementById("camera")?.setAttribute("aria-label", t.page.cameraPreview);

  const select = doc.getElementById("language") as HTMLSelectElement | null;
  if (!select) return;
  if (select.options.length !== LANGUAGES.length) {
    select.replaceChildren(
      ...LANGUAGES.map((lang) => {
        const option = doc.createElement("option");
        option.value = lang;
        option.lang = lang;
        option.textContent = CATALOGS[lang].name;
        return option;
      }),
    );
  }
  select.value = locale.lang;
  select.onchange = () => choose(select.value as Language);
}
