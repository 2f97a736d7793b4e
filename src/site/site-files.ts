/** Names the site's command and its library share (kept apart so `--help` loads nothing else). */

/** The repository configuration the site reads by default (as `npm run report` does). */
export const CONFIG_FILE = 'mesh-report.config.json';

/** The site's manifest: the files its last build wrote, relative to the site's folder. */
export const SITE_MANIFEST = '.mesh-report-site.json';
