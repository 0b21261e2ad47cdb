import mjml2html from 'mjml';

// The same source compiles to the same HTML: an app started twice in one process (the e2e
// suites) compiles each mail once.
const compiled = new Map<string, Promise<string>>();

/**
 * MJML → HTML that Outlook's Word engine and Korean webmail (Naver, Daum) lay out as designed:
 * tables, inline styles, conditional comments for Outlook. Runs once per mail kind when the
 * renderer starts, never per mail; the {{placeholders}} pass through as text for Handlebars.
 */
export function compileMjml(source: string, file: string): Promise<string> {
  let html = compiled.get(source);
  if (!html) {
    html = mjml2html(source, { validationLevel: 'strict', fonts: {}, keepComments: false, minify: false, beautify: false, filePath: file })
      .then((result) => tidy(result.html))
      .catch((error: Error & { errors?: { formattedMessage: string }[] }) => {
        compiled.delete(source);
        throw new Error(`Templates: ${file} is not valid MJML: ${error.errors?.map((e) => e.formattedMessage).join('; ') ?? error.message}`);
      });
    compiled.set(source, html);
  }
  return html;
}

/**
 * MJML indents its output deeply; leading blanks on a line are nothing to HTML (no <pre> in
 * mail) but a third of the bytes, and Gmail clips messages past 102 kB.
 */
function tidy(html: string): string {
  return html.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n');
}
