// Vigie's web pages in a real browser (headless Chromium through
// playwright-core, nothing downloaded at test time). Builds an index of the
// demo corpus with the real vigie-index, starts the real vigie-server on a
// free port, then walks the journalist's path: type a query in the form,
// apply a facet, go to page 2, come back with the back button, open a
// document, check the highlighting and the jump to the first match, read
// the page that quotes an XSS payload (it must show as text and run
// nothing: any dialog fails the test), follow a histogram bar, check the
// narrow (360 px) layout and keyboard access; the active filters as chips
// after a histogram click and « Tout effacer »; a misspelling answered with
// the suggestion's results; the advanced form; a phone (390 x 844) seeing
// the first hit without scrolling. Screenshots of the home,
// results and document pages go to the artifacts folder.
//
//   node e2e.mjs VIGIE_INDEX VIGIE_SERVER SOURCE_DIR SHARED_CORPUS ARTIFACTS_DIR
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [indexProgram, serverProgram, sourceDir, sharedCorpus, artifacts] = process.argv.slice(2);
if (!artifacts) {
  console.error('usage: e2e.mjs VIGIE_INDEX VIGIE_SERVER SOURCE_DIR SHARED_CORPUS ARTIFACTS_DIR');
  process.exit(2);
}
const xssPage = 'reseau-territoires-connectes/communiques/2024-02-01-cybersecurite-hameconnage.html';
const scratch = mkdtempSync(join(tmpdir(), 'vigie-browser-'));
mkdirSync(artifacts, { recursive: true });

const failures = [];
function check(condition, what) {
  if (condition) {
    console.log(`ok    ${what}`);
  } else {
    console.log(`FAIL  ${what}`);
    failures.push(what);
  }
}

// The shipped configuration with absolute roots (the server serves sources
// from indexer.roots) and analysis files.
function writeConfig() {
  let text = readFileSync(join(sourceDir, 'config', 'vigie.json'), 'utf8');
  const roots = JSON.stringify([join(sourceDir, 'corpus'), join(sharedCorpus, 'communiques')]);
  text = text.replace('"roots": ["corpus"]', `"roots": ${roots}`);
  text = text.replace('"stopwords-fr.txt"', JSON.stringify(join(sourceDir, 'config', 'stopwords-fr.txt')));
  text = text.replace('"synonyms.txt"', JSON.stringify(join(sourceDir, 'config', 'synonyms.txt')));
  const path = join(scratch, 'vigie.json');
  writeFileSync(path, text);
  return path;
}

function startServer(config, db) {
  return new Promise((resolve, reject) => {
    const child = spawn(serverProgram, ['--config', config, '--db', db, '--bind', '127.0.0.1', '--port', '0', '--quiet'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('vigie-server did not start in 60 s')), 60000);
    child.on('exit', (code) => reject(new Error(`vigie-server exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1] });
      }
    });
  });
}

async function main() {
  const config = writeConfig();
  const db = join(scratch, 'index');
  const indexed = spawnSync(indexProgram, ['--config', config, '--db', db, '--quiet', '--threads', '2',
    join(sharedCorpus, 'communiques'), join(sourceDir, 'corpus')], { stdio: 'inherit' });
  if (indexed.status !== 0) throw new Error(`vigie-index failed (${indexed.status})`);
  const { child: server, base } = await startServer(config, db);

  const profile = mkdtempSync(join(tmpdir(), 'vigie-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.VIGIE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
  });
  const dialogs = [], pageErrors = [], cspViolations = [], external = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('dialog', async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); await d.dismiss(); });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url()); });

    // Home: French, skip link first for the keyboard, the form, screenshot.
    await page.goto(`${base}/`);
    check(await page.getAttribute('html', 'lang') === 'fr', 'home: <html lang="fr">');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.textContent) === 'Aller au contenu',
      'home: the first Tab reaches the skip link');
    check(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle) !== 'none',
      'home: the focused link has a visible outline');
    check(await page.locator('link[rel=stylesheet]').count() === 1, 'home: one stylesheet');
    check(await page.evaluate(() => getComputedStyle(document.querySelector('.entete')).display) === 'flex',
      'home: the stylesheet is applied (CSP allows it)');
    await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });

    // Type a query in the form, with the keyboard.
    await page.getByLabel('Rechercher dans les textes').fill('conseil');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/recherche\?q=conseil/);
    check(/\d+ documents/.test(await page.locator('.compte').innerText()), 'results: a count in French');
    check(await page.locator('article.resultat').count() === 10, 'results: ten hits on page 1');
    check(await page.locator('.extrait mark').count() > 0, 'results: highlighted extracts');
    check(await page.locator('link[rel=alternate][type="application/atom+xml"]').count() === 1,
      'results: Atom feed advertised in <head>');
    await page.screenshot({ path: join(artifacts, 'results.png'), fullPage: true });

    // Apply a facet: the type with the most documents.
    const facet = page.locator('#facette-type + ul a').first();
    const facetLabel = (await facet.evaluate((a) => a.firstChild.textContent)).trim();
    await facet.click();
    await page.waitForURL(/type=/);
    const badges = await page.locator('article.resultat .badge').allInnerTexts();
    check(badges.length > 0 && badges.every((b) => b === facetLabel),
      `facet: every hit is a « ${facetLabel} »`);
    check(await page.locator('.facette a.actif').count() >= 1, 'facet: the chosen value is marked');
    const filteredUrl = page.url();

    // Page 2, then back.
    await page.locator('a[rel=next]').first().click();
    await page.waitForURL(/page=2/);
    check(await page.getAttribute('ol.resultats', 'start') === '11', 'page 2: numbering starts at 11');
    check(await page.locator('[aria-current=page]').innerText() === '2', 'page 2: current page marked');
    await page.goBack();
    await page.waitForURL(filteredUrl);
    check(page.url() === filteredUrl, 'back button: back to page 1 of the filtered results');

    // Open a document from a search that matches it, check the highlighting.
    await page.goto(`${base}/recherche?q=${encodeURIComponent('conseiller numérique')}`);
    await page.locator('article.resultat h3 a').first().click();
    await page.waitForURL(/\/document\//);
    check(await page.locator('.texte mark').count() > 0, 'document: query words highlighted');
    check(await page.locator('#premier-resultat').count() === 1, 'document: first match has an anchor');
    await page.getByText('Aller à la première occurrence').click();
    await page.waitForURL(/#premier-resultat$/);
    check(page.url().endsWith('#premier-resultat'), 'document: the link jumps to the first match');
    check(await page.locator('.similaires article').count() > 0, 'document: similar documents');
    await page.screenshot({ path: join(artifacts, 'document.png'), fullPage: true });

    // The indexed page quoting <script>alert("vigie")</script>: text, never code.
    await page.goto(`${base}/document/${encodeURIComponent(xssPage)}?q=script`);
    const text = await page.locator('.texte').innerText();
    check(text.includes('<script>alert("vigie")</script>'), 'XSS page: the payload is shown as text');
    check(await page.evaluate(() => document.scripts.length) === 0, 'XSS page: no <script> element in the DOM');
    await page.screenshot({ path: join(artifacts, 'document-xss.png'), fullPage: true });
    await page.locator('a[href^="/source/"]').first().click();
    await page.waitForLoadState('load');
    check((await page.content()).includes('&lt;script&gt;'), 'XSS source: served as plain text');
    await page.waitForTimeout(500);

    // Follow a histogram bar.
    await page.goto(`${base}/recherche?q=${encodeURIComponent('numérique')}`);
    const bar = page.locator('figure.histogramme svg a').first();
    const barHref = await bar.getAttribute('href');
    const year = barHref.match(/annee=(\d{4})/)[1];
    await bar.click();
    await page.waitForURL(new RegExp(`annee=${year}`));
    const dates = await page.locator('article.resultat time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    check(dates.length > 0 && dates.every((d) => d.startsWith(year)), `histogram: the bar filters on ${year}`);

    // The year is a visible chip; a new search keeps it in sight; « Tout
    // effacer » keeps the words only (a hidden year once turned 295 into 26).
    const yearChip = page.locator('.filtres-actifs a.puce', { hasText: `Année : ${year}` });
    check(await yearChip.isVisible(), `chips: « Année : ${year} » shows after the bar click`);
    await page.getByLabel('Rechercher dans les textes').fill('conseil');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=conseil/);
    check(page.url().includes(`annee=${year}`) && await yearChip.isVisible(),
      'chips: a new search keeps the year, and shows it');
    const filteredCount = await page.locator('.compte strong').innerText();
    await page.screenshot({ path: join(artifacts, 'results-chips.png'), fullPage: true });
    await page.locator('a.tout-effacer').click();
    await page.waitForURL((u) => !u.search.includes('annee='));
    check(new URL(page.url()).search === '?q=conseil', `« Tout effacer » keeps the words only (${page.url()})`);
    check(await page.locator('.filtres-actifs').count() === 0, '« Tout effacer »: no chip left');
    const allCount = await page.locator('.compte strong').innerText();
    check(allCount !== filteredCount, `« Tout effacer »: ${filteredCount} → ${allCount}`);
    // A chip removes its own filter only.
    await page.goto(`${base}/recherche?q=conseil&annee=${year}&tri=recents&par_page=20`);
    await page.locator('a.puce', { hasText: `Année : ${year}` }).click();
    await page.waitForURL((u) => !u.search.includes('annee='));
    check(page.url().includes('tri=recents') && page.url().includes('par_page=20'),
      'chips: removing the year keeps the sort and the page size');
    check(await page.locator('article.resultat').count() === 20, 'per page: 20 hits with par_page=20');
    await page.locator('a[rel=next]').first().click();
    await page.waitForURL(/page=2/);
    check(page.url().includes('par_page=20') && await page.getAttribute('ol.resultats', 'start') === '21',
      'per page: page 2 keeps 20 a page (starts at 21)');

    // Families: the communiqué published as Markdown and as a web page is one
    // result, its other format listed (docs/families.md).
    await page.goto(`${base}/recherche?q=${encodeURIComponent('financement pérenne conseillers numériques')}`);
    const inclusion = page.locator('article.resultat')
      .filter({ has: page.locator('h3', { hasText: /^Inclusion numérique/ }) });
    check(await inclusion.count() === 1, `families: one result for the communiqué in two formats (${await inclusion.count()})`);
    const also = inclusion.locator('.aussi a');
    check(await also.count() === 1 && ['HTML', 'Markdown'].includes(await also.innerText()),
      'families: « aussi en … » lists the other format');
    await page.screenshot({ path: join(artifacts, 'results-family.png'), fullPage: true });
    await also.click();
    await page.waitForURL(/\/document\//);
    check(await page.locator('dt', { hasText: 'Aussi en' }).count() === 1, 'families: the other format\'s page links back');

    // Several words, few with them all: those with some are apart, said so,
    // and not counted (« au moins un des mots » counts them).
    await page.goto(`${base}/recherche?q=${encodeURIComponent('cybersécurité cantine')}`);
    const partial = page.locator('section.partie-des-mots');
    check(await partial.isVisible(), 'all words: the partial answer has its own section');
    check(/contiennent une partie des mots|contient une partie des mots/.test(await partial.locator('h2').innerText()),
      'all words: « … contiennent une partie des mots »');
    const strictCount = await page.locator('.compte strong').innerText();
    await page.screenshot({ path: join(artifacts, 'results-partial.png'), fullPage: true });
    await partial.getByRole('link', { name: /au moins un des mots/ }).click();
    await page.waitForURL(/mots=un/);
    check(await page.locator('a.puce', { hasText: 'Au moins un des mots' }).count() === 1,
      'all words: « au moins un des mots » is a visible chip');
    const anyCount = await page.locator('.compte strong').innerText();
    check(anyCount !== strictCount, `all words: ${strictCount} → ${anyCount} with some of the words`);

    // A misspelling that finds nothing: the suggestion's results, and a way back.
    await page.goto(`${base}/recherche?q=numeriqeu`);
    const correction = page.locator('p.correction');
    check(await correction.isVisible() && (await correction.innerText()).startsWith('Résultats pour numerique'),
      'spelling: « Résultats pour numerique — rechercher plutôt numeriqeu »');
    check(await page.locator('article.resultat').count() > 0, 'spelling: the suggestion\'s hits are shown');
    await page.screenshot({ path: join(artifacts, 'results-corrected.png'), fullPage: true });
    await correction.locator('a').click();
    await page.waitForURL(/orthographe=exacte/);
    check(await page.locator('.aucun-resultat').isVisible(), 'spelling: « rechercher plutôt » searches the words as typed');

    // The advanced form writes the query into the search box.
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Recherche avancée' }).click();
    await page.waitForURL(/\/recherche-avancee$/);
    await page.getByLabel('tous ces mots').fill('conseil');
    await page.getByLabel('cette expression').fill('inclusion numérique');
    await page.getByLabel('aucun de ces mots').fill('vente (OU');
    await page.screenshot({ path: join(artifacts, 'advanced-search.png'), fullPage: true });
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.waitForURL(/\/recherche\?q=/);
    const written = await page.getByLabel('Rechercher dans les textes').inputValue();
    check(written === 'conseil "inclusion numérique" -vente -ou',
      `advanced search: the query language in the search box (${written})`);
    check(await page.locator('article.resultat').count() > 0, 'advanced search: results');

    // Narrow screens: nothing wider than 360 px.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/recherche?q=${encodeURIComponent('numérique')}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    check(overflow <= 361, `360 px: no horizontal scrolling (scrollWidth ${overflow})`);
    await page.screenshot({ path: join(artifacts, 'results-360px.png'), fullPage: true });

    // A phone (390 x 844): the first hit is on the first screen; the filters
    // fold behind a <details> summary that opens without JavaScript.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/recherche?q=${encodeURIComponent('numérique')}&annee=2023`);
    const box = await page.locator('article.resultat').first().boundingBox();
    check(box && box.y >= 0 && box.y + box.height <= 844,
      `390x844: the first hit is visible without scrolling (${box && Math.round(box.y)}–${box && Math.round(box.y + box.height)} px)`);
    check(!(await page.locator('#type').isVisible()), '390x844: the filters are folded');
    check(await page.locator('.filtres-actifs a.puce').first().isVisible(), '390x844: the chips stay in sight');
    await page.screenshot({ path: join(artifacts, 'results-390x844.png') });
    await page.locator('summary', { hasText: 'Filtres, période et tri' }).click();
    check(await page.locator('#type').isVisible(), '390x844: « Filtres, période et tri » unfolds them');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/recherche?q=conseil`);
    check(await page.locator('#type').isVisible() && await page.locator('#facette-type').isVisible(),
      '1280 px: filters and facets shown unfolded');

    check(dialogs.length === 0, `no dialog ever opened${dialogs.length ? ': ' + dialogs.join(' | ') : ''}`);
    check(pageErrors.length === 0, `no script error${pageErrors.length ? ': ' + pageErrors.join(' | ') : ''}`);
    check(cspViolations.length === 0, `no CSP violation${cspViolations.length ? ': ' + cspViolations.join(' | ') : ''}`);
    check(external.length === 0, `no request outside the server${external.length ? ': ' + external.join(' ') : ''}`);
  } finally {
    await context.close();
    server.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => {
  rmSync(scratch, { recursive: true, force: true });
  console.log(failures.length ? `${failures.length} check(s) failed` : 'browser test: all checks passed');
  console.log(`screenshots in ${artifacts}`);
  process.exit(failures.length ? 1 : 0);
}, (e) => {
  console.error(`browser test error: ${e.stack || e}`);
  process.exit(1);
});
