// Checks the network console in a real browser: Debian's Chromium, headless, driven by playwright-core.
// Usage: node console-check.mjs URL SCREENSHOT USER_DATA_DIR SITES(a,b,c) MIN_LINKS SERVICE
// Prints RENDERED once the sites and links are drawn (the Java test then adds SERVICE to the network),
// then SERVICE-SHOWN once SERVICE is listed without the page having been reloaded. Exits 1 on failure.
import { chromium } from 'playwright-core';

const [url, screenshot, userDataDir, sitesArg, minLinksArg, service] = process.argv.slice(2);
const sites = sitesArg.split(',');
const minLinks = Number(minLinksArg);
const problems = [];

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.VAN_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 1100 },
});
let status = 0;
const page = context.pages()[0] || await context.newPage();
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('console', (m) => { if (m.type() === 'error') problems.push('console error: ' + m.text()); });
page.on('response', (r) => { if (r.status() >= 400) problems.push(r.status() + ' for ' + r.url()); });
try {
  await page.goto(url);
  for (const site of sites) {
    await page.waitForSelector(`g.site[data-site="${site}"]`, { timeout: 30000 });
  }
  await page.waitForFunction((n) => document.querySelectorAll('g.link').length >= n, minLinks, { timeout: 30000 });
  const drawn = await page.$$eval('g.link', (links) => links.map((l) => l.dataset.link + ' ' + l.textContent));
  console.log('LINKS ' + JSON.stringify(drawn));
  // a marker that a reload would lose: the service must appear in this same document
  await page.evaluate(() => { window.vanSameDocument = true; });
  console.log('RENDERED');
  await page.waitForSelector(`#services tr[data-service="${service}"]`, { timeout: 30000 });
  if (!(await page.evaluate(() => window.vanSameDocument === true))) {
    throw new Error('the page was reloaded');
  }
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('SERVICE-SHOWN');
} catch (e) {
  console.log('FAIL: ' + e.message);
  await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
  status = 1;
} finally {
  await context.close();
}
process.exit(status);
